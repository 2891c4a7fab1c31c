package io.incidentcomms.audience;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.incidentcomms.audience.ConsentService.OptOutVia;
import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.incident.MessageParts;
import io.incidentcomms.platform.problem.ProblemException;
import io.incidentcomms.statuspage.ScopeNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** What a recipient may see and change with the token from a message, without an API key. */
@ApplicationScoped
public class SelfService {

    /** One subscription as the page shows it: the scope and its name in the subscriber's language. */
    public record Subscription(String scope, String name) {
    }

    /**
     * The settings page of one contact point. {@code locale} is the subscriber's; {@code canUndo}
     * says an opt-out by link is recent enough to take back.
     */
    public record PageModel(String token, String channel, String address, boolean expired, boolean optedOut,
            boolean canUndo, String incidentTitle, boolean muted, String locale, String timeZone, String firstChannel,
            List<Subscription> subscriptions) {
    }

    /** Whose link it is: their language and their masked address, for pages that answer a POST. */
    public record Holder(String locale, String address, String channel) {
    }

    private final SelfServiceTokens tokens;
    private final ConsentService consent;
    private final IncidentQueries incidents;
    private final ScopeNames scopeNames;
    private final AudienceConfig config;
    private final Clock clock;
    private final EntityManager em;
    private final TimeZones timeZones;

    SelfService(SelfServiceTokens tokens, ConsentService consent, IncidentQueries incidents, ScopeNames scopeNames,
            AudienceConfig config, Clock clock, EntityManager em, TimeZones timeZones) {
        this.timeZones = timeZones;
        this.tokens = tokens;
        this.consent = consent;
        this.incidents = incidents;
        this.scopeNames = scopeNames;
        this.config = config;
        this.clock = clock;
        this.em = em;
    }

    @Transactional
    public PageModel page(String token) {
        SelfServiceTokens.Claims claims = tokens.verify(token);
        ContactPoint contactPoint = contactPoint(claims);
        Subscriber subscriber = Subscriber.findById(contactPoint.subscriberId);
        Locale locale = Locale.forLanguageTag(subscriber.locale);
        List<String> scopes = subscriber.scopes.stream().sorted().toList();
        Map<String, String> names = scopeNames.names(scopes, locale);
        boolean muted = claims.incidentId() != null && ((Number) em.createNativeQuery(
                "select count(*) from incident_mute where subscriber_id = ?1 and incident_id = ?2")
                .setParameter(1, subscriber.id).setParameter(2, claims.incidentId()).getSingleResult()).longValue() > 0;
        String title = claims.incidentId() == null ? null : incidents.titlesOf(claims.incidentId())
                .map(t -> firstNonNull(LocalizedText.in(t, subscriber.locale), t.values().iterator().next())).orElse(null);
        return new PageModel(token, contactPoint.channel.wire(), Masking.address(contactPoint.channel, contactPoint.address),
                claims.expired(), contactPoint.optedOutAt != null, canUndo(contactPoint), title, muted, subscriber.locale,
                subscriber.timeZone,
                subscriber.channelPreference.isEmpty() ? "email" : subscriber.channelPreference.get(0).toLowerCase(Locale.ROOT),
                scopes.stream().map(s -> new Subscription(s, names.get(s))).toList());
    }

    /** The holder of a link, verified (an expired link too). */
    @Transactional
    public Holder holder(String token) {
        ContactPoint contactPoint = contactPoint(tokens.verify(token));
        Subscriber subscriber = Subscriber.findById(contactPoint.subscriberId);
        return new Holder(subscriber.locale, Masking.address(contactPoint.channel, contactPoint.address),
                contactPoint.channel.wire());
    }

    /** Opting out works with an expired token too: unsubscribing is never blocked. */
    @Transactional
    public void optOut(String token) {
        SelfServiceTokens.Claims claims = tokens.verify(token);
        consent.optOut(contactPoint(claims), OptOutVia.UNSUBSCRIBE_LINK);
    }

    /** Takes back an opt-out by this link made within the undo window; false when too late. */
    @Transactional
    public boolean undoOptOut(String token) {
        return consent.undoOptOut(contactPoint(tokens.verify(token)), config.selfService().undoWindow());
    }

    public int undoMinutes() {
        return (int) config.selfService().undoWindow().toMinutes();
    }

    @Transactional
    public void mute(String token) {
        SelfServiceTokens.Claims claims = fresh(token);
        if (claims.incidentId() == null) {
            throw ProblemException.invalidField("token", "this link is not about an incident");
        }
        consent.mute(contactPoint(claims).subscriberId, claims.incidentId());
    }

    @Transactional
    public void dropScope(String token, String scope) {
        consent.dropScope(contactPoint(fresh(token)).subscriberId, scope);
    }

    @Transactional
    public void updatePreferences(String token, String locale, String timeZone, String firstChannel) {
        ContactPoint contactPoint = contactPoint(fresh(token));
        Subscriber subscriber = Subscriber.findById(contactPoint.subscriberId);
        if (locale != null && !locale.isBlank()) {
            if (!MessageParts.validLocale(locale.trim())) {
                throw ProblemException.invalidField("locale", "is not a language tag such as en or de-CH");
            }
            subscriber.locale = locale.trim();
        }
        if (timeZone != null && !timeZone.isBlank()) {
            if (!timeZones.selectable(timeZone.trim(), subscriber.timeZone)) {
                throw ProblemException.invalidField("timeZone", "is not a time zone such as Europe/Berlin");
            }
            subscriber.timeZone = timeZone.trim();
        }
        if (firstChannel != null && !firstChannel.isBlank()) {
            Channel first;
            try {
                first = Channel.valueOf(firstChannel.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalidField("firstChannel", "must be email or sms");
            }
            Channel second = first == Channel.EMAIL ? Channel.SMS : Channel.EMAIL;
            subscriber.channelPreference = new java.util.ArrayList<>(List.of(first.name(), second.name()));
        }
    }

    private boolean canUndo(ContactPoint contactPoint) {
        return contactPoint.optedOutAt != null && OptOutVia.UNSUBSCRIBE_LINK.name().equals(contactPoint.optedOutVia)
                && !contactPoint.optedOutAt.plus(config.selfService().undoWindow()).isBefore(clock.instant());
    }

    private SelfServiceTokens.Claims fresh(String token) {
        SelfServiceTokens.Claims claims = tokens.verify(token);
        if (claims.expired()) {
            throw new ProblemException(403, "token-expired", "Forbidden",
                    "This link has expired; it still lets you opt out, but not change anything else");
        }
        return claims;
    }

    /** The token's claims, if it was made for the address its contact point has now. */
    @Transactional
    public SelfServiceTokens.Claims verify(String token) {
        SelfServiceTokens.Claims claims = tokens.verify(token);
        contactPoint(claims);
        return claims;
    }

    /** The contact point of a token, refused (as an invalid link) when its address changed since the token was made. */
    private static ContactPoint contactPoint(SelfServiceTokens.Claims claims) {
        ContactPoint contactPoint = ContactPoint.findById(claims.contactPointId());
        if (contactPoint == null || contactPoint.address == null) {
            throw ProblemException.notFound("This contact");
        }
        if (!claims.madeFor(contactPoint.address)) {
            throw SelfServiceTokens.invalid();
        }
        return contactPoint;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
