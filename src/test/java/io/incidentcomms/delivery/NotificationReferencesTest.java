package io.incidentcomms.delivery;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * A notification names its update and that update's incident, its contact point and the
 * subscriber who owns it; the database refuses one whose pairs do not belong together (V29), so
 * nothing can tell a subscriber about someone else's address or file a message under the wrong
 * incident.
 */
@QuarkusTest
class NotificationReferencesTest {

    @Inject
    EntityManager em;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    long updateId;
    long incidentId;
    long otherIncidentId;
    long contactPointId;
    long subscriberId;
    long otherSubscriberId;

    @BeforeEach
    void anUpdateAndTwoSubscribers() {
        incidentId = declare("References " + run);
        otherIncidentId = declare("Other references " + run);
        QuarkusTransaction.requiringNew().run(() -> {
            updateId = ((Number) em.createNativeQuery("select min(id) from incident_update where incident_id = ?1")
                    .setParameter(1, incidentId).getSingleResult()).longValue();
            subscriberId = subscriber("refs-" + run + "-a");
            otherSubscriberId = subscriber("refs-" + run + "-b");
            contactPointId = ((Number) em.createNativeQuery("""
                    insert into contact_point (subscriber_id, channel, address, created_at, updated_at)
                    values (?1, 'EMAIL', ?2, now(), now()) returning id""")
                    .setParameter(1, subscriberId).setParameter(2, "refs-" + run + "@example.com").getSingleResult())
                    .longValue();
        });
    }

    @Test
    void aNotificationOfTheUpdatesIncidentToTheContactPointsOwnerIsPlanned() {
        assertEquals(1, plan(updateId, incidentId, subscriberId, contactPointId));
    }

    @Test
    void aNotificationFiledUnderAnIncidentThatIsNotItsUpdatesIsRefused() {
        RuntimeException refused = assertThrows(RuntimeException.class,
                () -> plan(updateId, otherIncidentId, subscriberId, contactPointId));

        assertTrue(causes(refused).contains("notification_update_of_incident_fkey"), causes(refused));
    }

    @Test
    void aNotificationToAContactPointOnBehalfOfSomeoneWhoDoesNotOwnItIsRefused() {
        RuntimeException refused = assertThrows(RuntimeException.class,
                () -> plan(updateId, incidentId, otherSubscriberId, contactPointId));

        assertTrue(causes(refused).contains("notification_contact_point_of_subscriber_fkey"), causes(refused));
    }

    private int plan(long update, long incident, long subscriber, long contactPoint) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                insert into notification (incident_update_id, incident_id, subscriber_id, contact_point_id, channel,
                                          state, created_at)
                values (?1, ?2, ?3, ?4, 'EMAIL', 'SUPERSEDED', now())""")
                .setParameter(1, update).setParameter(2, incident).setParameter(3, subscriber)
                .setParameter(4, contactPoint).executeUpdate());
    }

    private long declare(String title) {
        String key = asAdmin().body(Api.declaration(title, "minor", "component:refs-" + run)).post("/api/incidents")
                .then().statusCode(201).extract().path("key");
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select id from incident where incident_key = ?1").setParameter(1, key).getSingleResult()).longValue());
    }

    private long subscriber(String externalRef) {
        return ((Number) em.createNativeQuery("""
                insert into subscriber (external_ref, created_at, updated_at) values (?1, now(), now()) returning id""")
                .setParameter(1, externalRef).getSingleResult()).longValue();
    }

    private static String causes(Throwable thrown) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
