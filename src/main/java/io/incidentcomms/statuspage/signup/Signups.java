package io.incidentcomms.statuspage.signup;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.jboss.logging.Logger;

import com.google.i18n.phonenumbers.PhoneNumberUtil;

import io.incidentcomms.audience.AudienceConfig;
import io.incidentcomms.audience.Channel;
import io.incidentcomms.audience.Masking;
import io.incidentcomms.audience.SelfServiceTokens;
import io.incidentcomms.audience.SubscriberInput;
import io.incidentcomms.audience.SubscriberRow;
import io.incidentcomms.audience.SubscriberService;
import io.incidentcomms.audience.TimeZones;
import io.incidentcomms.delivery.EmailSender;
import io.incidentcomms.delivery.SmsSender;
import io.incidentcomms.message.MessageConfig;
import io.incidentcomms.platform.Hashes;
import io.incidentcomms.platform.problem.Problem.FieldViolation;
import io.incidentcomms.platform.time.SqlTimes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;

/**
 * Signing up from the status page. An email address is confirmed by a link (its page has the
 * button that confirms: mail scanners open every link); a mobile number by a six-digit code sent
 * by SMS (kept hashed, 10 minutes, 5 tries), which records the consent with its source and time.
 * The answer is the same whatever the address's state, so the form tells nobody who subscribes:
 * an address that already gets updates is sent a manage-your-subscription message instead.
 * Abuse is kept in check without a CAPTCHA ({@link SignupLimits}, a country allow-list for SMS,
 * a cap on verification SMS per hour, a honeypot field). Confirmed sign-ups become ordinary
 * subscribers, who manage themselves on the self-service pages.
 */
@ApplicationScoped
public class Signups {

    private static final Logger LOG = Logger.getLogger(Signups.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String CONSENT_SOURCE = "status page sign-up";

    /** What a visitor filled in; {@code scopes} empty means everything. {@code trap} is the honeypot field. */
    public record Form(String email, String phone, List<String> scopes, String locale, String timeZone, String trap) {
    }

    /** How a sign-up went. */
    public sealed interface Started {
    }

    /** Accepted: the visitor checks their messages (the same answer whether or not they were subscribed). */
    public record Accepted(UUID signup, String email, String phone) implements Started {
    }

    public record Invalid(List<FieldViolation> errors) implements Started {
    }

    public record TooMany(Instant retryAt) implements Started {
    }

    /** How a confirmation went; {@code manageToken} opens the self-service page of what was confirmed. */
    public sealed interface Confirmed {
    }

    public record Subscribed(String manageToken) implements Confirmed {
    }

    public record WrongCode(int triesLeft) implements Confirmed {
    }

    public record Expired() implements Confirmed {
    }

    /** A pending email confirmation, for its page. */
    public record PendingEmail(String email) {
    }

    /** A sign-up waiting for its confirmation, as read from {@code signup}. */
    record Pending(UUID id, String email, String phone, String codeHash, Instant codeExpiresAt, int codeTries,
            String locale, String timeZone, List<String> scopes, String subscriberRef) {

        static Pending of(Tuple row) {
            return new Pending(row.get("id", UUID.class), row.get("email", String.class), row.get("phone", String.class),
                    row.get("code_hash", String.class), SqlTimes.instant(row.get("code_expires_at")),
                    ((Number) row.get("code_tries")).intValue(), row.get("locale", String.class),
                    row.get("time_zone", String.class), List.of(row.get("scopes", String[].class)),
                    row.get("subscriber_ref", String.class));
        }
    }

    private final EntityManager em;
    private final Clock clock;
    private final SignupConfig config;
    private final SignupLimits limits;
    private final SubscriberService subscribers;
    private final SelfServiceTokens tokens;
    private final AudienceConfig audience;
    private final TimeZones timeZones;
    private final EmailSender email;
    private final SmsSender sms;
    private final MessageConfig messages;

    Signups(EntityManager em, Clock clock, SignupConfig config, SignupLimits limits, SubscriberService subscribers,
            SelfServiceTokens tokens, AudienceConfig audience, TimeZones timeZones, EmailSender email, SmsSender sms,
            MessageConfig messages) {
        this.em = em;
        this.clock = clock;
        this.config = config;
        this.limits = limits;
        this.subscribers = subscribers;
        this.tokens = tokens;
        this.audience = audience;
        this.timeZones = timeZones;
        this.email = email;
        this.sms = sms;
        this.messages = messages;
    }

    public Started start(Form form, String client, Locale pageLocale) {
        SubscriberRow.Parsed parsed = SubscriberRow.parse(1, new SubscriberInput("signup", null,
                blankToNull(form.locale()), blankToNull(form.timeZone()), null, blankToNull(form.email()),
                blankToNull(form.phone()), blankToNull(form.phone()) != null ? Boolean.TRUE : null, CONSENT_SOURCE,
                form.scopes() == null || form.scopes().isEmpty() ? List.of("*") : form.scopes(), null, null),
                audience.defaultPhoneRegion().orElse(null), timeZones::known);
        List<FieldViolation> errors = new ArrayList<>(parsed.errors());
        if (blankToNull(form.email()) == null && blankToNull(form.phone()) == null) {
            errors.add(new FieldViolation("email", "give an email address, a mobile number, or both"));
        }
        if (errors.isEmpty() && parsed.row().phone() != null && !allowedCountry(parsed.row().phone())) {
            errors.add(new FieldViolation("phone", "sign-up by SMS is not offered for numbers of this country"));
        }
        if (!errors.isEmpty()) {
            return new Invalid(errors);
        }
        SubscriberRow row = parsed.row();
        if (form.trap() != null && !form.trap().isBlank()) {
            // a bot filled the field people never see: it is answered as anyone, and nothing is sent
            LOG.info("A sign-up filled the honeypot field; nothing was sent");
            return new Accepted(UUID.randomUUID(), row.email(), row.phone());
        }
        Optional<Instant> refused = QuarkusTransaction.requiringNew().call(() -> admit(row, client));
        if (refused.isPresent()) {
            return new TooMany(refused.get());
        }
        Locale locale = row.locale() != null ? Locale.forLanguageTag(row.locale()) : pageLocale;
        UUID id = UUID.randomUUID();
        String emailToken = row.email() == null ? null : token();
        String code = row.phone() == null ? null : code();
        Optional<SubscriberService.Reachable> emailKnown = row.email() == null ? Optional.empty()
                : subscribers.reachable(Channel.EMAIL, row.email());
        Optional<SubscriberService.Reachable> phoneKnown = row.phone() == null ? Optional.empty()
                : subscribers.reachable(Channel.SMS, row.phone());
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                insert into signup (id, created_at, expires_at, email, email_token_hash, phone, code_hash, code_expires_at,
                                    locale, time_zone, scopes)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, cast(?11 as text[]))""")
                .setParameter(1, id).setParameter(2, Timestamp.from(now))
                .setParameter(3, Timestamp.from(now.plus(config.confirmationLifetime())))
                .setParameter(4, emailKnown.isPresent() ? null : row.email())
                .setParameter(5, emailKnown.isPresent() || emailToken == null ? null : Hashes.sha256Hex(emailToken))
                .setParameter(6, phoneKnown.isPresent() ? null : row.phone())
                .setParameter(7, phoneKnown.isPresent() || code == null ? null : codeHash(id, code))
                .setParameter(8, code == null ? null : Timestamp.from(now.plus(config.codeLifetime())))
                .setParameter(9, row.locale()).setParameter(10, row.timeZone())
                .setParameter(11, row.subscriptions().toArray(String[]::new)).executeUpdate());
        SignupMessages words = words(locale);
        if (row.email() != null) {
            sendEmail(row.email(), emailKnown, emailToken, words);
        }
        if (row.phone() != null) {
            sendSms(row.phone(), phoneKnown, code, words);
        }
        return new Accepted(id, row.email(), row.phone());
    }

    /** Counts the attempt against the limits; when one is used up, when to try again. */
    private Optional<Instant> admit(SubscriberRow row, String client) {
        List<Optional<Instant>> checks = new ArrayList<>();
        if (row.phone() != null) {
            checks.add(limits.exhausted(SignupLimits.Kind.SMS_CLIENT, client, config.smsPerClient(),
                    config.smsPerClientWindow()));
            checks.add(limits.exhausted(SignupLimits.Kind.NUMBER, row.phone(), config.perNumber(), config.perAddressWindow()));
            checks.add(limits.exhausted(SignupLimits.Kind.SMS_SENT, "all", config.verificationSmsPerHour(),
                    Duration.ofHours(1)));
        }
        if (row.email() != null) {
            checks.add(limits.exhausted(SignupLimits.Kind.ADDRESS, row.email(), config.perAddress(), config.perAddressWindow()));
        }
        Optional<Instant> latest = checks.stream().flatMap(Optional::stream).max(Instant::compareTo);
        if (latest.isPresent()) {
            return latest;
        }
        if (row.phone() != null) {
            limits.count(SignupLimits.Kind.SMS_CLIENT, client);
            limits.count(SignupLimits.Kind.NUMBER, row.phone());
            limits.count(SignupLimits.Kind.SMS_SENT, "all");
        }
        if (row.email() != null) {
            limits.count(SignupLimits.Kind.ADDRESS, row.email());
        }
        return Optional.empty();
    }

    private void sendEmail(String address, Optional<SubscriberService.Reachable> known, String token, SignupMessages words) {
        String brand = messages.brand();
        String text;
        String subject;
        if (known.isPresent()) {
            subject = words.manageSubject(brand);
            text = words.hello() + "\n\n" + words.manageMail(brand) + "\n\n" + manageLink(known.get());
        } else {
            subject = words.confirmSubject(brand);
            text = words.hello() + "\n\n" + words.confirmMail(brand) + "\n\n" + messages.publicBaseUrl()
                    + "/subscribe/confirm?token=" + token + "\n\n" + words.confirmIgnore();
        }
        var outcome = email.sendPlain(address, subject, text);
        if (outcome.kind() != io.incidentcomms.delivery.SendOutcome.Kind.SENT) {
            LOG.warnf("A sign-up email to %s did not go: %s", Masking.email(address), outcome.error());
        }
    }

    private void sendSms(String number, Optional<SubscriberService.Reachable> known, String code, SignupMessages words) {
        String text = known.isPresent() ? words.alreadySms(messages.brand(), manageLink(known.get()))
                : words.codeSms(messages.brand(), code);
        var outcome = sms.send(number, text, null);
        if (outcome.kind() != io.incidentcomms.delivery.SendOutcome.Kind.SENT) {
            LOG.warnf("A sign-up SMS to %s did not go: %s", Masking.phone(number), outcome.error());
        }
    }

    private String manageLink(SubscriberService.Reachable reachable) {
        return messages.publicBaseUrl() + "/self-service?token="
                + tokens.issue(reachable.contactPointId(), reachable.address(), null);
    }

    /** The address a confirmation link is for, while it may still be confirmed. */
    public Optional<PendingEmail> pendingEmail(String token) {
        return pending("email_token_hash = ?1", Hashes.sha256Hex(String.valueOf(token)))
                .map(pending -> new PendingEmail(pending.email()));
    }

    /** The visitor pressed the button behind the link: the address becomes a subscriber's. */
    public Confirmed confirmEmail(String token) {
        Optional<Pending> found = pending("email_token_hash = ?1", Hashes.sha256Hex(String.valueOf(token)));
        if (found.isEmpty()) {
            return new Expired();
        }
        Pending row = found.get();
        UUID id = row.id();
        String address = row.email();
        String ref = subscribe(row, new SubscriberInput(null, null, null, null, null, address, null, null, null, null, null,
                null));
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update signup set email_token_hash = null, subscriber_ref = ?2 where id = ?1")
                .setParameter(1, id).setParameter(2, ref).executeUpdate());
        return subscribed(Channel.EMAIL, address);
    }

    /** The visitor typed the code from their SMS. */
    public Confirmed verifySms(UUID id, String code) {
        Optional<Pending> found = pending("id = ?1 and code_hash is not null", id);
        if (found.isEmpty()) {
            return new Expired();
        }
        Pending row = found.get();
        Instant expires = row.codeExpiresAt();
        int tries = row.codeTries();
        if (expires == null || !expires.isAfter(clock.instant()) || tries >= config.codeTries()) {
            return new Expired();
        }
        String given = code == null ? "" : code.replaceAll("\\s", "");
        if (!codeHash(id, given).equals(row.codeHash())) {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "update signup set code_tries = code_tries + 1 where id = ?1").setParameter(1, id).executeUpdate());
            int left = config.codeTries() - tries - 1;
            return left <= 0 ? new Expired() : new WrongCode(left);
        }
        String number = row.phone();
        String ref = subscribe(row, new SubscriberInput(null, null, null, null, null, null, number, Boolean.TRUE,
                CONSENT_SOURCE + " " + clock.instant(), null, null, null));
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update signup set code_hash = null, subscriber_ref = ?2 where id = ?1")
                .setParameter(1, id).setParameter(2, ref).executeUpdate());
        return subscribed(Channel.SMS, number);
    }

    /**
     * Adds the confirmed contact point: to the subscriber the other half of this sign-up made, or a
     * new subscriber with the sign-up's language, time zone and subscriptions.
     */
    private String subscribe(Pending row, SubscriberInput contact) {
        String ref = row.subscriberRef();
        if (ref == null) {
            ref = "signup-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            subscribers.create(new SubscriberInput(ref, null, row.locale(), row.timeZone(), null, contact.email(),
                    contact.phone(), contact.smsConsent(), contact.consentSource(), row.scopes(), null, null));
        } else {
            subscribers.upsert(ref, contact.withExternalRef(ref));
        }
        return ref;
    }

    private Confirmed subscribed(Channel channel, String address) {
        return subscribers.reachable(channel, address)
                .map(r -> (Confirmed) new Subscribed(tokens.issue(r.contactPointId(), r.address(), null)))
                .orElseGet(Expired::new);
    }

    @SuppressWarnings("unchecked")
    private Optional<Pending> pending(String condition, Object value) {
        List<Tuple> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select id, email, phone, code_hash, code_expires_at, code_tries, locale, time_zone, scopes, subscriber_ref "
                        + "from signup where " + condition + " and expires_at > ?2", Tuple.class)
                .setParameter(1, value).setParameter(2, Timestamp.from(clock.instant())).getResultList());
        return rows.stream().findFirst().map(Pending::of);
    }

    /** Forgets sign-ups past their time, and old attempts. */
    @io.quarkus.scheduler.Scheduled(every = "1h", concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    void forgetExpired() {
        int signups = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "delete from signup where expires_at < ?1").setParameter(1, Timestamp.from(clock.instant())).executeUpdate());
        int attempts = limits.forgetOld();
        if (signups + attempts > 0) {
            LOG.debugf("Forgot %d expired sign-up(s) and %d old attempt(s)", signups, attempts);
        }
    }

    private boolean allowedCountry(String e164) {
        try {
            PhoneNumberUtil util = PhoneNumberUtil.getInstance();
            String region = util.getRegionCodeForNumber(util.parse(e164, null));
            return region != null && config.smsCountries().stream().anyMatch(region::equalsIgnoreCase);
        } catch (com.google.i18n.phonenumbers.NumberParseException e) {
            return false;
        }
    }

    private static String codeHash(UUID id, String code) {
        return Hashes.sha256Hex(id.toString(), code);
    }

    private static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String code() {
        return String.format("%06d", RANDOM.nextInt(1_000_000));
    }

    static SignupMessages words(Locale locale) {
        return MessageBundles.get(SignupMessages.class, Localized.Literal.of(locale.toLanguageTag()));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
