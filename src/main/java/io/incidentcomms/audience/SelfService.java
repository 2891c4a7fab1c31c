package io.incidentcomms.audience;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

import io.incidentcomms.audience.ConsentService.OptOutVia;
import io.incidentcomms.incident.IncidentService;
import io.incidentcomms.incident.MessageParts;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** What a recipient may see and change with the token from a message, without an API key. */
@ApplicationScoped
public class SelfService {

    public record PageModel(String token, String channel, String address, boolean expired, boolean optedOut,
            String incidentTitle, boolean muted, String locale, String timeZone, String firstChannel,
            List<String> subscriptions) {
    }

    private final SelfServiceTokens tokens;
    private final ConsentService consent;
    private final IncidentService incidents;
    private final EntityManager em;

    SelfService(SelfServiceTokens tokens, ConsentService consent, IncidentService incidents, EntityManager em) {
        this.tokens = tokens;
        this.consent = consent;
        this.incidents = incidents;
        this.em = em;
    }

    @Transactional
    public PageModel page(String token) {
        SelfServiceTokens.Claims claims = tokens.verify(token);
        ContactPoint contactPoint = contactPoint(claims);
        Subscriber subscriber = Subscriber.findById(contactPoint.subscriberId);
        List<String> subscriptions = subscriber.scopes.stream().sorted().toList();
        boolean muted = claims.incidentId() != null && ((Number) em.createNativeQuery(
                "select count(*) from incident_mute where subscriber_id = ?1 and incident_id = ?2")
                .setParameter(1, subscriber.id).setParameter(2, claims.incidentId()).getSingleResult()).longValue() > 0;
        String title = claims.incidentId() == null ? null : incidents.titleOf(claims.incidentId()).orElse(null);
        return new PageModel(token, contactPoint.channel.wire(), Masking.address(contactPoint.channel, contactPoint.address),
                claims.expired(), contactPoint.optedOutAt != null, title, muted, subscriber.locale, subscriber.timeZone,
                subscriber.channelPreference.isEmpty() ? "email" : subscriber.channelPreference.get(0).toLowerCase(Locale.ROOT),
                subscriptions);
    }

    /** Opting out works with an expired token too: unsubscribing is never blocked. */
    @Transactional
    public void optOut(String token) {
        SelfServiceTokens.Claims claims = tokens.verify(token);
        consent.optOut(contactPoint(claims), OptOutVia.UNSUBSCRIBE_LINK);
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
            if (!ZoneId.getAvailableZoneIds().contains(timeZone.trim())) {
                throw ProblemException.invalidField("timeZone", "is not a time zone such as Europe/Berlin");
            }
            subscriber.timeZone = timeZone.trim();
        }
        if (firstChannel != null && !firstChannel.isBlank()) {
            Channel first = Channel.valueOf(firstChannel.trim().toUpperCase(Locale.ROOT));
            Channel second = first == Channel.EMAIL ? Channel.SMS : Channel.EMAIL;
            subscriber.channelPreference = new java.util.ArrayList<>(List.of(first.name(), second.name()));
        }
    }

    private SelfServiceTokens.Claims fresh(String token) {
        SelfServiceTokens.Claims claims = tokens.verify(token);
        if (claims.expired()) {
            throw new ProblemException(403, "token-expired", "Forbidden",
                    "This link has expired; it still lets you opt out, but not change anything else");
        }
        return claims;
    }

    private static ContactPoint contactPoint(SelfServiceTokens.Claims claims) {
        ContactPoint contactPoint = ContactPoint.findById(claims.contactPointId());
        if (contactPoint == null || contactPoint.address == null) {
            throw ProblemException.notFound("This contact");
        }
        return contactPoint;
    }
}
