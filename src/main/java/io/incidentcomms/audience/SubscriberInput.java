package io.incidentcomms.audience;

import java.util.List;

/**
 * A subscriber as the API and the import take it. Every field but {@code externalRef} may be
 * absent: on an existing subscriber an absent field stays as it is, and a given
 * {@code subscriptions} list replaces the old one.
 */
public record SubscriberInput(
        String externalRef,
        String name,
        String locale,
        String timeZone,
        String tier,
        String email,
        String phone,
        Boolean smsConsent,
        String consentSource,
        List<String> subscriptions,
        String quietHours,
        List<String> channelPreference) {

    public SubscriberInput withExternalRef(String ref) {
        return new SubscriberInput(ref, name, locale, timeZone, tier, email, phone, smsConsent, consentSource,
                subscriptions, quietHours, channelPreference);
    }
}
