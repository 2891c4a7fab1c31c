package io.incidentcomms.audience;

import static io.incidentcomms.support.Api.asAdmin;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Who is told: scope matches (exact, whole kind, everything) ∪ named recipients ∪ already told,
 * minus opted-out, bounced, unconsented, erased and muted; channels by severity, tier and preference.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AudienceResolutionTest {

    @Inject
    AudienceResolver resolver;
    @Inject
    IncidentQueries incidents;
    @Inject
    EntityManager em;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String component = "component:svc-" + run;
    final String region = "region:reg-" + run;
    String major;
    String minor;

    String ref(String who) {
        return run + "-" + who;
    }

    /** Once for the class, but after Quarkus has told REST Assured where it listens. */
    @BeforeEach
    void seed() {
        if (major != null) {
            return;
        }
        String rows = String.join("\n",
                row("exact", "\"email\": \"exact@example.com\", \"subscriptions\": [\"" + component + "\"]"),
                row("kindwild", "\"email\": \"kind@example.com\", \"subscriptions\": [\"region:*\"]"),
                row("star", "\"email\": \"star@example.com\", \"subscriptions\": [\"*\"]"),
                row("other", "\"email\": \"other@example.com\", \"subscriptions\": [\"component:other-" + run + "\"]"),
                row("named", "\"email\": \"named@example.com\""),
                row("told", "\"email\": \"told@example.com\", \"subscriptions\": [\"" + component + "\"]"),
                row("optedout", "\"email\": \"out@example.com\", \"subscriptions\": [\"" + component + "\"]"),
                row("noconsent", "\"phone\": \"+447400000001\", \"tier\": \"priority\", \"subscriptions\": [\"" + component + "\"]"),
                row("smsstandard", "\"phone\": \"+447400000002\", \"smsConsent\": true, \"consentSource\": \"web\", \"subscriptions\": [\"" + component + "\"]"),
                row("priority", "\"phone\": \"+447400000003\", \"smsConsent\": true, \"consentSource\": \"web\", \"tier\": \"priority\", \"subscriptions\": [\"" + region + "\"]"),
                row("prefsms", "\"phone\": \"+447400000004\", \"email\": \"pref@example.com\", \"smsConsent\": true, \"consentSource\": \"web\", \"channelPreference\": [\"sms\", \"email\"], \"subscriptions\": [\"" + region + "\"]"),
                row("bounced", "\"email\": \"bounced@example.com\", \"subscriptions\": [\"" + component + "\"]"),
                row("erased", "\"email\": \"erased@example.com\", \"subscriptions\": [\"" + component + "\"]"),
                row("muted", "\"email\": \"muted@example.com\", \"subscriptions\": [\"" + component + "\"]"));
        asAdmin().contentType("application/x-ndjson").body(rows).post("/api/subscribers/import").then().statusCode(200)
                .body("rejected", is(0));
        asAdmin().post("/api/subscribers/" + ref("optedout") + "/contact-points/email/opt-out").then().statusCode(200);
        asAdmin().delete("/api/subscribers/" + ref("erased")).then().statusCode(204);

        major = declare("major");
        minor = declare("minor");
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update contact_point set bounced_at = now() where address = 'bounced@example.com'")
                    .executeUpdate();
            for (String key : List.of(major, minor)) {
                // delivery told "told" about the first update of each incident by email
                em.createNativeQuery("""
                        insert into notification (incident_update_id, incident_id, subscriber_id, contact_point_id, channel, state, created_at)
                        select u.id, i.id, s.id, cp.id, 'EMAIL', 'SENT', now()
                        from incident i join incident_update u on u.incident_id = i.id and u.seq = 1
                        join subscriber s on s.external_ref = ?2
                        join contact_point cp on cp.subscriber_id = s.id and cp.channel = 'EMAIL'
                        where i.incident_key = ?1""").setParameter(1, key).setParameter(2, ref("told")).executeUpdate();
                em.createNativeQuery("""
                        insert into incident_mute (subscriber_id, incident_id, muted_at)
                        select s.id, i.id, now() from subscriber s, incident i
                        where s.external_ref = ?2 and i.incident_key = ?1""")
                        .setParameter(1, key).setParameter(2, ref("muted")).executeUpdate();
            }
        });
        // "told" then unsubscribes from the scope: they must still hear the rest of these incidents
        asAdmin().contentType("application/x-ndjson").body(row("told", "\"subscriptions\": []"))
                .post("/api/subscribers/import").then().body("imported", is(1));
    }

    private String row(String who, String fields) {
        return "{\"externalRef\": \"" + ref(who) + "\", " + fields + "}";
    }

    private String declare(String severity) {
        return asAdmin().body("""
                {"title": "Audience %s", "kind": "outage", "severity": "%s", "scopes": ["%s", "%s"],
                 "recipients": ["%s"], "explain": {"en": "x"}}""".formatted(run, severity, component, region, ref("named")))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
    }

    @Test
    void aMajorIncidentReachesEveryMatchByEmailAndConsentingPhonesBySms() {
        assertEquals(new TreeSet<>(Set.of("exact/EMAIL", "kindwild/EMAIL", "star/EMAIL", "named/EMAIL", "told/EMAIL",
                "smsstandard/SMS", "priority/SMS", "prefsms/SMS", "prefsms/EMAIL")), resolved(major));
    }

    @Test
    void aMinorIncidentSendsSmsOnlyToThePriorityTierAndThoseWhoPreferSms() {
        assertEquals(new TreeSet<>(Set.of("exact/EMAIL", "kindwild/EMAIL", "star/EMAIL", "named/EMAIL", "told/EMAIL",
                "priority/SMS", "prefsms/SMS", "prefsms/EMAIL")), resolved(minor));
    }

    @Test
    void theResolutionEqualsAPlainReferenceComputation() {
        for (String key : List.of(major, minor)) {
            Set<String> expected = reference(key);
            assertFalse(expected.isEmpty());
            assertEquals(expected, resolved(key), "incident " + key);
        }
    }

    @Test
    void thePreviewCountsPerChannelAndScopeWithAMaskedSample() {
        asAdmin().get("/api/incidents/" + major + "/audience").then().statusCode(200)
                .body("subscribersPerScope.'" + component + "'", org.hamcrest.Matchers.greaterThanOrEqualTo(7))
                .body("namedRecipients", is(1))
                .body("alreadyTold", is(1))
                .body("sample.address", everyItem(matchesPattern(".*\\*+.*")));
        Api.asAnonymous().get("/api/incidents/" + major + "/audience").then().statusCode(401);
    }

    /** The resolver's answer, restricted to this test's subscribers, as "who/CHANNEL". */
    private Set<String> resolved(String key) {
        Set<String> result = new TreeSet<>();
        resolver.stream(incidents.audienceTarget(key), r -> {
            if (r.externalRef().startsWith(run + "-")) {
                result.add(r.externalRef().substring(run.length() + 1) + "/" + r.channel());
            }
        });
        return result;
    }

    /** The rules, written out plainly over rows loaded into memory. */
    @SuppressWarnings("unchecked")
    private Set<String> reference(String key) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object[] incident = (Object[]) em.createNativeQuery(
                    "select id, severity, cast(scopes as text[]), cast(recipients as text[]) from incident where incident_key = ?1")
                    .setParameter(1, key).getSingleResult();
            long incidentId = ((Number) incident[0]).longValue();
            String severity = (String) incident[1];
            List<String> scopes = List.of((String[]) incident[2]);
            List<String> named = List.of((String[]) incident[3]);

            Map<Long, Object[]> subscribers = new HashMap<>();
            for (Object[] s : (List<Object[]>) em.createNativeQuery(
                    "select id, external_ref, tier, cast(channel_preference as text[]), erased_at is not null from subscriber where external_ref like ?1")
                    .setParameter(1, run + "-%").getResultList()) {
                subscribers.put(((Number) s[0]).longValue(), s);
            }
            Map<Long, List<String>> subscriptions = new HashMap<>();
            for (Object[] s : (List<Object[]>) em.createNativeQuery("select id, cast(scopes as text[]) from subscriber").getResultList()) {
                subscriptions.put(((Number) s[0]).longValue(), new ArrayList<>(List.of((String[]) s[1])));
            }
            Set<Long> toldSubscribers = new HashSet<>();
            Set<Long> toldContactPoints = new HashSet<>();
            for (Object[] n : (List<Object[]>) em.createNativeQuery(
                    "select subscriber_id, contact_point_id from notification where incident_id = ?1")
                    .setParameter(1, incidentId).getResultList()) {
                toldSubscribers.add(((Number) n[0]).longValue());
                toldContactPoints.add(((Number) n[1]).longValue());
            }
            Set<Long> muted = new HashSet<>();
            for (Object m : em.createNativeQuery("select subscriber_id from incident_mute where incident_id = ?1")
                    .setParameter(1, incidentId).getResultList()) {
                muted.add(((Number) m).longValue());
            }

            Set<String> expected = new TreeSet<>();
            for (Object[] cp : (List<Object[]>) em.createNativeQuery("""
                    select id, subscriber_id, channel, address, consent_at is not null, opted_out_at is not null,
                           bounced_at is not null from contact_point""").getResultList()) {
                long subscriberId = ((Number) cp[1]).longValue();
                Object[] subscriber = subscribers.get(subscriberId);
                if (subscriber == null || (Boolean) subscriber[4] || muted.contains(subscriberId)) {
                    continue;
                }
                String ref = (String) subscriber[1];
                boolean matchesScope = false;
                for (String subscription : subscriptions.getOrDefault(subscriberId, List.of())) {
                    for (String scope : scopes) {
                        String kind = scope.substring(0, scope.indexOf(':'));
                        if (subscription.equals("*") || subscription.equals(scope) || subscription.equals(kind + ":*")) {
                            matchesScope = true;
                        }
                    }
                }
                boolean inAudience = matchesScope || named.contains(ref) || toldSubscribers.contains(subscriberId);
                String channel = (String) cp[2];
                boolean usable = cp[3] != null && !(Boolean) cp[5] && !(Boolean) cp[6]
                        && (!channel.equals("SMS") || (Boolean) cp[4]);
                String firstPreference = ((String[]) subscriber[3])[0];
                boolean policy;
                if (channel.equals("EMAIL")) {
                    policy = true;
                } else {
                    policy = severity.equals("CRITICAL") || severity.equals("MAJOR") || subscriber[2].equals("PRIORITY")
                            || firstPreference.equals("SMS");
                }
                policy = policy || toldContactPoints.contains(((Number) cp[0]).longValue());
                if (inAudience && usable && policy) {
                    expected.add(ref.substring(run.length() + 1) + "/" + channel);
                }
            }
            return expected;
        });
    }
}
