package io.incidentcomms.audience;

import static io.incidentcomms.support.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.incidentcomms.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

@QuarkusTest
class ErasureTest {

    @Inject
    EntityManager em;

    @Test
    void afterEraseNoTableHoldsTheNameEmailOrPhoneWhileDeliveryCountsRemain() {
        String token = UUID.randomUUID().toString().substring(0, 8);
        String ref = "erase-" + token;
        String name = "Zelda Erasable " + token;
        String email = "zelda." + token + "@example.com";
        String phone = "+4915112" + (Math.abs(token.hashCode()) % 900000 + 100000);
        asAdmin().body("""
                {"externalRef": "%s", "name": "%s", "email": "%s", "phone": "%s", "smsConsent": true,
                 "consentSource": "test", "subscriptions": ["component:erasure"]}""".formatted(ref, name, email, phone))
                .post("/api/subscribers").then().statusCode(201);
        String key = asAdmin().body(Api.declaration("Erasure " + token, "major", "component:erasure"))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                insert into notification (incident_update_id, incident_id, subscriber_id, contact_point_id, channel, state, created_at)
                select u.id, i.id, s.id, cp.id, cp.channel, 'SENT', now()
                from incident i join incident_update u on u.incident_id = i.id
                join subscriber s on s.external_ref = ?2 join contact_point cp on cp.subscriber_id = s.id
                where i.incident_key = ?1""").setParameter(1, key).setParameter(2, ref).executeUpdate());
        assertTrue(placesHolding(email).size() > 0, "the search finds the data before erasure");

        asAdmin().delete("/api/subscribers/" + ref).then().statusCode(204);

        assertEquals(List.of(), placesHolding(name));
        assertEquals(List.of(), placesHolding(email));
        assertEquals(List.of(), placesHolding(phone));
        assertEquals(List.of(), placesHolding(phone.substring(1)));
        long notifications = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                select count(*) from notification n join incident i on i.id = n.incident_id where i.incident_key = ?1""")
                .setParameter(1, key).getSingleResult()).longValue());
        assertEquals(2, notifications, "anonymous delivery records stay");
        asAdmin().get("/api/subscribers/" + ref).then().statusCode(404);
    }

    /** Every text-like column of every table in the schema that contains {@code value}. */
    @SuppressWarnings("unchecked")
    private List<String> placesHolding(String value) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Object[]> columns = em.createNativeQuery("""
                    select table_name, column_name from information_schema.columns
                    where table_schema = current_schema()
                      and data_type in ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY')""")
                    .getResultList();
            List<String> places = new ArrayList<>();
            for (Object[] column : columns) {
                String sql = "select count(*) from \"%s\" where cast(\"%s\" as text) like ?1".formatted(column[0], column[1]);
                long hits = ((Number) em.createNativeQuery(sql).setParameter(1, "%" + value + "%").getSingleResult())
                        .longValue();
                if (hits > 0) {
                    places.add(column[0] + "." + column[1]);
                }
            }
            return places;
        });
    }
}
