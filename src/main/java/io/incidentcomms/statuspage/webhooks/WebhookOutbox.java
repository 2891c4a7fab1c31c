package io.incidentcomms.statuspage.webhooks;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.incidentcomms.incident.UpdatePublished;
import io.incidentcomms.message.MessageConfig;
import io.incidentcomms.statuspage.manage.StatuspageIncident;
import io.incidentcomms.statuspage.manage.StatuspageIncidents;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.persistence.EntityManager;

/**
 * Writes, in the transaction that publishes a customer-facing update of a public incident, one
 * delivery per subscribed endpoint whose scopes the incident touches (or that wants everything),
 * with the body in Statuspage's webhook shape: the page, and the incident as the public sees it.
 */
@ApplicationScoped
class WebhookOutbox {

    private final EntityManager em;
    private final StatuspageIncidents incidents;
    private final MessageConfig messages;
    private final ObjectMapper mapper;

    WebhookOutbox(EntityManager em, StatuspageIncidents incidents, MessageConfig messages, ObjectMapper mapper) {
        this.em = em;
        this.incidents = incidents;
        this.messages = messages;
        this.mapper = mapper;
    }

    /** After the component statuses were recomputed for this update (their observer runs at the default priority). */
    void onPublished(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) UpdatePublished published) {
        if (!published.customersTold()) {
            return;
        }
        Number subscriptions = (Number) em.createNativeQuery(
                "select count(*) from webhook_subscription where disabled_at is null").getSingleResult();
        if (subscriptions.longValue() == 0) {
            return;
        }
        StatuspageIncident incident = incidents.publicIncident(published.incidentKey()).orElse(null);
        if (incident == null) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meta", Map.of("documentation", messages.publicBaseUrl() + "/q/swagger-ui",
                "generated_at", published.at().toString()));
        body.put("page", incidents.page());
        body.put("incident", incident);
        em.createNativeQuery("""
                insert into webhook_delivery (subscription_id, update_id, body, created_at, next_attempt_at)
                select s.id, ?1, ?2, ?3, ?3 from webhook_subscription s
                where s.disabled_at is null
                  and (cardinality(s.scopes) = 0
                       or s.scopes && (select cast(i.scopes as text[]) from incident i where i.id = ?4))
                on conflict (subscription_id, update_id) do nothing""")
                .setParameter(1, published.updateId()).setParameter(2, json(body))
                .setParameter(3, Timestamp.from(published.at())).setParameter(4, published.incidentId()).executeUpdate();
    }

    private String json(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A webhook body cannot be written as JSON", e);
        }
    }
}
