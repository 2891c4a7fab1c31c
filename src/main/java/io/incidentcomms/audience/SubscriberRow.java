package io.incidentcomms.audience;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import io.incidentcomms.incident.MessageParts;
import io.incidentcomms.incident.Scopes;
import io.incidentcomms.platform.problem.Problem.FieldViolation;

/**
 * A validated, normalised subscriber row: email lower-cased, phone in E.164, enums parsed. Null
 * means "not given" (keep what is stored). The API and the import share these rules.
 */
public record SubscriberRow(
        int rowNumber,
        String externalRef,
        String name,
        String locale,
        String timeZone,
        Tier tier,
        LocalTime quietStart,
        LocalTime quietEnd,
        List<Channel> channelPreference,
        String email,
        String phone,
        Boolean smsConsent,
        String consentSource,
        List<String> subscriptions) {

    /**
     * An address as people have them: a local part of letters, digits and {@code . _ % + ' -}
     * starting with a letter or digit (so never a spreadsheet formula such as {@code =HYPERLINK(...)}),
     * and a domain of labels.
     */
    private static final Pattern EMAIL = Pattern.compile(
            "[\\p{L}\\p{N}][\\p{L}\\p{N}._%+'-]{0,63}@[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,62}[\\p{L}\\p{N}])?"
                    + "(?:\\.[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,62}[\\p{L}\\p{N}])?)+");
    private static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}");
    private static final Pattern QUIET_HOURS = Pattern.compile("(\\d{2}:\\d{2})-(\\d{2}:\\d{2})");
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /** The row, or the reasons it cannot be taken. */
    public record Parsed(SubscriberRow row, List<FieldViolation> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** Characters no name holds, NUL among them (which the database cannot store at all). */
    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("[\\p{Cntrl}&&[^\\t]]");

    /** {@code knownZone} says whether a time zone is one both Java and the database know. */
    public static Parsed parse(int rowNumber, SubscriberInput in, String defaultPhoneRegion,
            java.util.function.Predicate<String> knownZone) {
        List<FieldViolation> errors = new ArrayList<>();
        String ref = trim(in.externalRef());
        if (ref == null) {
            errors.add(new FieldViolation("externalRef", "is required"));
        } else if (!REF.matcher(ref).matches()) {
            errors.add(new FieldViolation("externalRef", "must be 1-200 letters, digits or . _ : @ -"));
        }
        String name = trim(in.name());
        if (name != null && name.length() > 200) {
            errors.add(new FieldViolation("name", "must be at most 200 characters"));
        } else if (name != null && CONTROL.matcher(name).find()) {
            errors.add(new FieldViolation("name", "must not hold control characters"));
        }
        if (in.consentSource() != null && CONTROL.matcher(in.consentSource()).find()) {
            errors.add(new FieldViolation("consentSource", "must not hold control characters"));
        }
        String locale = trim(in.locale());
        if (locale != null && !MessageParts.validLocale(locale)) {
            errors.add(new FieldViolation("locale", "is not a BCP 47 language tag such as en or de-CH"));
        }
        String timeZone = trim(in.timeZone());
        if (timeZone != null && !knownZone.test(timeZone)) {
            errors.add(new FieldViolation("timeZone", "is not an IANA time zone such as Europe/Berlin"));
        }
        Tier tier = null;
        if (trim(in.tier()) != null) {
            try {
                tier = Tier.valueOf(in.tier().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldViolation("tier", "must be one of standard, priority"));
            }
        }
        LocalTime quietStart = null;
        LocalTime quietEnd = null;
        String quiet = trim(in.quietHours());
        if (quiet != null) {
            var matcher = QUIET_HOURS.matcher(quiet);
            try {
                if (!matcher.matches()) {
                    throw new IllegalArgumentException();
                }
                quietStart = LocalTime.parse(matcher.group(1));
                quietEnd = LocalTime.parse(matcher.group(2));
            } catch (RuntimeException e) {
                errors.add(new FieldViolation("quietHours", "must be a local time window such as 22:00-07:00"));
            }
        }
        List<Channel> preference = null;
        if (in.channelPreference() != null) {
            LinkedHashSet<Channel> channels = new LinkedHashSet<>();
            for (String channel : in.channelPreference()) {
                try {
                    channels.add(Channel.valueOf(channel.trim().toUpperCase(Locale.ROOT)));
                } catch (RuntimeException e) {
                    errors.add(new FieldViolation("channelPreference", "must list email and/or sms"));
                }
            }
            preference = new ArrayList<>(channels);
        }
        String email = trim(in.email());
        if (email != null) {
            email = email.toLowerCase(Locale.ROOT);
            if (email.length() > 320 || !EMAIL.matcher(email).matches()) {
                errors.add(new FieldViolation("email", "is not a valid email address"));
            }
        }
        String phone = null;
        if (trim(in.phone()) != null) {
            phone = e164(in.phone().trim(), defaultPhoneRegion);
            if (phone == null) {
                errors.add(new FieldViolation("phone", defaultPhoneRegion == null
                        ? "is not a valid phone number with country code, such as +441632960961"
                        : "is not a valid phone number"));
            }
        }
        String consentSource = trim(in.consentSource());
        if (Boolean.TRUE.equals(in.smsConsent()) && consentSource == null) {
            errors.add(new FieldViolation("consentSource", "is required with smsConsent: where and how the opt-in was given"));
        }
        List<String> subscriptions = null;
        if (in.subscriptions() != null) {
            LinkedHashSet<String> scopes = new LinkedHashSet<>();
            for (int i = 0; i < in.subscriptions().size(); i++) {
                String scope = trim(in.subscriptions().get(i));
                String problem = subscriptionProblem(scope);
                if (problem != null) {
                    errors.add(new FieldViolation("subscriptions[" + i + "]", problem));
                } else {
                    scopes.add(scope);
                }
            }
            subscriptions = new ArrayList<>(scopes);
        }
        if (!errors.isEmpty()) {
            return new Parsed(null, errors);
        }
        return new Parsed(new SubscriberRow(rowNumber, ref, name, locale, timeZone, tier, quietStart, quietEnd,
                preference, email, phone, in.smsConsent(), consentSource, subscriptions), List.of());
    }

    /** Applies {@code later} over this row: what the later row gives wins, the rest stays. */
    SubscriberRow mergedWith(SubscriberRow later) {
        return new SubscriberRow(later.rowNumber, externalRef, pick(later.name, name), pick(later.locale, locale),
                pick(later.timeZone, timeZone), pick(later.tier, tier), pick(later.quietStart, quietStart),
                pick(later.quietEnd, quietEnd), pick(later.channelPreference, channelPreference),
                pick(later.email, email), pick(later.phone, phone), pick(later.smsConsent, smsConsent),
                pick(later.consentSource, consentSource), pick(later.subscriptions, subscriptions));
    }

    /** Subscriptions may also be whole kinds ({@code region:*}) or everything ({@code *}). */
    static String subscriptionProblem(String scope) {
        if ("*".equals(scope)) {
            return null;
        }
        if (scope != null && scope.endsWith(":*")) {
            String kind = scope.substring(0, scope.length() - 2);
            return Scopes.KINDS.contains(kind) ? null
                    : "unknown scope kind '" + kind + "': expected one of " + String.join(", ", Scopes.KINDS);
        }
        return Scopes.problemWith(scope);
    }

    static String e164(String number, String defaultRegion) {
        try {
            Phonenumber.PhoneNumber parsed = PHONES.parse(number, number.startsWith("+") ? null : defaultRegion);
            return PHONES.isValidNumber(parsed) ? PHONES.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164) : null;
        } catch (NumberParseException e) {
            return null;
        }
    }

    private static <T> T pick(T later, T earlier) {
        return later != null ? later : earlier;
    }

    private static String trim(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
