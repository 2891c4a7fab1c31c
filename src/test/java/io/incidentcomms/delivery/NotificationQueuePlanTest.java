package io.incidentcomms.delivery;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * The queue's hot statements find their rows by id, however many claims are in flight and
 * whatever the table's statistics say about them (they are taken when few are, and a partial
 * index on the claims in flight then looks like the cheapest way to any of them); what the
 * console and metrics count of the queue is read through its indexes.
 */
@QuarkusTest
class NotificationQueuePlanTest {

    static final int IN_FLIGHT = 2000;

    @Inject
    EntityManager em;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    /** The external references of this test's subscribers, as a LIKE pattern. */
    final String ours = "plan-" + run + "-%";

    @AfterEach
    void removeTheClaims() {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("""
                    delete from notification where subscriber_id in (select id from subscriber where external_ref like ?1)""")
                    .setParameter(1, ours).executeUpdate();
            em.createNativeQuery("""
                    delete from contact_point where subscriber_id in (select id from subscriber where external_ref like ?1)""")
                    .setParameter(1, ours).executeUpdate();
            em.createNativeQuery("delete from subscriber where external_ref like ?1").setParameter(1, ours)
                    .executeUpdate();
        });
    }

    @Test
    void recordingAGroupOfSendsLooksEachClaimUpByIdNotByReadingEveryClaimInFlight() {
        List<Long> claims = claimsInFlightAfterStatisticsSawNone();

        String plan = explain(NotificationQueue.RECORD_SENT, claims.subList(0, 5));

        assertTrue(plan.contains("Index Scan using notification_pkey on notification n")
                && plan.contains("Index Cond: (id = s.id)"), "each claim looked up by its id:\n" + plan);
    }

    @Test
    void countingWhatWaitsReadsTheWaitingNotificationsNotEveryNotificationEverSent() {
        List<Long> claims = claimsInFlightAfterStatisticsSawNone();
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update notification set state = 'SENT', lease_until = null where id = any(?1)")
                    .setParameter(1, claims.toArray(Long[]::new)).executeUpdate();
            em.createNativeQuery("analyze notification").executeUpdate();
        });

        @SuppressWarnings("unchecked")
        String plan = QuarkusTransaction.requiringNew().call(() -> String.join("\n",
                (List<String>) em.createNativeQuery("explain " + QueueDepth.WAITING).getResultList()));

        assertFalse(plan.contains("Seq Scan on notification"), "no pass over every notification:\n" + plan);
    }

    /** {@value #IN_FLIGHT} notifications of a new incident, SENDING, written after ANALYZE counted none. */
    @SuppressWarnings("unchecked")
    List<Long> claimsInFlightAfterStatisticsSawNone() {
        String key = asAdmin().body(Api.declaration("Plan " + run, "minor", "component:plan-" + run))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("""
                    insert into subscriber (external_ref, created_at, updated_at)
                    select 'plan-' || ?1 || '-' || n, now(), now() from generate_series(1, ?2) n""")
                    .setParameter(1, run).setParameter(2, IN_FLIGHT).executeUpdate();
            em.createNativeQuery("""
                    insert into contact_point (subscriber_id, channel, address, created_at, updated_at)
                    select id, 'EMAIL', external_ref || '@example.com', now(), now() from subscriber where external_ref like ?1""")
                    .setParameter(1, ours).executeUpdate();
            em.createNativeQuery("""
                    insert into notification (incident_update_id, incident_id, subscriber_id, contact_point_id, channel, state, created_at)
                    select u.id, i.id, cp.subscriber_id, cp.id, 'EMAIL', 'PLANNED', now()
                    from incident i join incident_update u on u.incident_id = i.id
                    join contact_point cp on cp.subscriber_id in (select id from subscriber where external_ref like ?2)
                    where i.incident_key = ?1""").setParameter(1, key).setParameter(2, ours).executeUpdate();
        });
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("analyze notification").executeUpdate());
        return QuarkusTransaction.requiringNew().call(() -> ((List<Number>) em.createNativeQuery("""
                update notification set state = 'SENDING', attempt_id = gen_random_uuid(), lease_until = now() + interval '1 minute'
                where subscriber_id in (select id from subscriber where external_ref like ?1) returning id""")
                .setParameter(1, ours).getResultList()).stream().map(Number::longValue).sorted().toList());
    }

    @SuppressWarnings("unchecked")
    String explain(String statement, List<Long> ids) {
        return QuarkusTransaction.requiringNew().call(() -> String.join("\n", (List<String>) em.createNativeQuery(
                "explain " + statement)
                .setParameter(1, ids.toArray(Long[]::new))
                .setParameter(2, ids.stream().map(id -> UUID.randomUUID().toString()).toArray(String[]::new))
                .setParameter(3, ids.stream().map(id -> "provider-" + id).toArray(String[]::new))
                .setParameter(4, ids.stream().map(id -> (Long) null).toArray(Long[]::new))
                .setParameter(5, Timestamp.from(Instant.now())).getResultList()));
    }
}
