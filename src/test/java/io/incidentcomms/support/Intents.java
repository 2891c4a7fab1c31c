package io.incidentcomms.support;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.arc.Arc;
import jakarta.persistence.EntityManager;

/** What delivery would see: notification intents recorded for an incident. */
public final class Intents {

    private Intents() {
    }

    public static long recordedFor(String incidentKey) {
        EntityManager em = Arc.container().instance(EntityManager.class).get();
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                select count(*) from notification_intent ni join incident i on i.id = ni.incident_id
                where i.incident_key = ?1""").setParameter(1, incidentKey).getSingleResult()).longValue());
    }
}
