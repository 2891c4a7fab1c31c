package io.incidentcomms.delivery;

import static io.incidentcomms.support.Api.asAdmin;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.incidentcomms.audience.AudienceResolver;
import io.incidentcomms.incident.IncidentQueries;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** The planner is switched off in tests so that each test plans when it says so. */
@QuarkusTest
class DeliveryPlannerTest {

    @Inject
    DeliveryPlanner planner;
    @Inject
    AudienceResolver audience;
    @Inject
    IncidentQueries incidents;
    @Inject
    EntityManager em;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:plan-" + run;

    void subscribe(String who, String extra) {
        asAdmin().body("{\"externalRef\": \"" + run + "-" + who + "\", \"email\": \"" + who + "." + run + "@example.com\", "
                + "\"subscriptions\": [\"" + scope + "\"]" + extra + "}").post("/api/subscribers").then().statusCode(201);
    }

    String declare(boolean draft) {
        return asAdmin().body("""
                {"title": "Planned %s", "kind": "outage", "severity": "major", "scopes": ["%s"],
                 "explain": {"en": "x"}, "draft": %s}""".formatted(run, scope, draft))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
    }

    void planAll() {
        while (planner.planBatch() > 0) {
            // plan until nothing is released
        }
    }

    long planned(String key, int seq) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                select count(*) from notification n join incident_update u on u.id = n.incident_update_id
                join incident i on i.id = u.incident_id where i.incident_key = ?1 and u.seq = ?2""")
                .setParameter(1, key).setParameter(2, seq).getSingleResult()).longValue());
    }

    @Test
    void aPublishedUpdateGetsOneNotificationPerResolvedContactPointAndPlanningAgainAddsNone() {
        subscribe("ann", ", \"phone\": \"+447400100001\", \"smsConsent\": true, \"consentSource\": \"web\"");
        subscribe("bob", "");
        String key = declare(false);

        planAll();

        List<String> resolved = new ArrayList<>();
        audience.stream(incidents.audienceTarget(key), r -> resolved.add(r.externalRef() + "/" + r.channel()));
        assertEquals(resolved.size(), planned(key, 1));
        assertEquals(3, resolved.stream().filter(r -> r.startsWith(run)).count());
        planAll();
        assertEquals(resolved.size(), planned(key, 1));
    }

    @Test
    void draftsAndPausedIncidentsArePlannedOnlyOncePublishedAndResumed() {
        subscribe("cid", "");
        String key = declare(true);
        planAll();
        assertEquals(0, planned(key, 1));

        asAdmin().post("/api/incidents/" + key + "/pause").then().statusCode(200);
        asAdmin().post("/api/incidents/" + key + "/updates/1/publish").then().statusCode(200);
        planAll();
        assertEquals(0, planned(key, 1));

        asAdmin().post("/api/incidents/" + key + "/resume").then().statusCode(200);
        planAll();
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                select count(*) from notification n join subscriber s on s.id = n.subscriber_id
                join incident i on i.id = n.incident_id where i.incident_key = ?1 and s.external_ref = ?2""")
                .setParameter(1, key).setParameter(2, run + "-cid").getSingleResult()).longValue()));
    }

    @Test
    void someoneToldAboutAnIncidentHearsTheNextUpdateAfterUnsubscribing() {
        subscribe("dee", "");
        String key = declare(false);
        planAll();
        asAdmin().body("{\"subscriptions\": []}").put("/api/subscribers/" + run + "-dee").then().statusCode(200)
                .body("subscriptions.size()", is(0));

        asAdmin().body("{\"state\": \"resolved\", \"explain\": {\"en\": \"Fixed\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201);
        planAll();

        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                select count(*) from notification n join incident_update u on u.id = n.incident_update_id
                join subscriber s on s.id = n.subscriber_id join incident i on i.id = u.incident_id
                where i.incident_key = ?1 and u.seq = 2 and s.external_ref = ?2""")
                .setParameter(1, key).setParameter(2, run + "-dee").getSingleResult()).longValue()));
    }

    @Test
    void aTimeZoneTheDatabaseDoesNotKnowSetsOneUpdateAsideAndNeverStopsTheOthers() {
        subscribe("tz", ", \"quietHours\": \"00:00-23:59\"");
        // written as a replica of an older version, or a hand edit, would have: PostgreSQL refuses
        // this zone (it takes Java's SystemV/* zones as POSIX rules, so no Java zone fails here)
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update subscriber set time_zone = 'Mars/Olympus' where external_ref = ?1").setParameter(1, run + "-tz")
                .executeUpdate());
        String stuck = declare(false);
        String otherScope = "component:plan-other-" + run;
        asAdmin().body("{\"externalRef\": \"" + run + "-ok\", \"email\": \"ok@example.com\", \"subscriptions\": [\""
                + otherScope + "\"]}").post("/api/subscribers").then().statusCode(201);
        String critical = asAdmin().body("""
                {"title": "Critical %s", "kind": "outage", "severity": "critical", "scopes": ["%s"], "explain": {"en": "x"}}"""
                .formatted(run, otherScope)).post("/api/incidents").then().statusCode(201).extract().path("key");

        planAll();

        org.junit.jupiter.api.Assertions.assertTrue(planned(critical, 1) >= 1, "the later, critical update is planned");
        assertEquals(0, planned(stuck, 1));
        asAdmin().get("/api/intents/failing").then().statusCode(200)
                .body("find { it.incidentKey == '" + stuck + "' }.attempts", is(1))
                .body("find { it.incidentKey == '" + stuck + "' }.lastError",
                        org.hamcrest.Matchers.containsString("Mars/Olympus"));
        // Java knows SystemV/AST4, PostgreSQL's list of zones does not (it would read it as a POSIX rule)
        asAdmin().body("{\"externalRef\": \"" + run + "-tz2\", \"timeZone\": \"SystemV/AST4\"}").post("/api/subscribers")
                .then().statusCode(400).body("errors[0].field", is("timeZone"));
    }
}
