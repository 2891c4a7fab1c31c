package io.incidentcomms.statuspage.webhooks;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import io.incidentcomms.audit.Actor;
import io.incidentcomms.audit.AuditLog;
import io.incidentcomms.incident.Scopes;
import io.incidentcomms.platform.problem.ProblemException;
import io.incidentcomms.platform.time.SqlTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

/**
 * Subscribers' endpoints: signed up with a URL that must point at a public address, the scopes
 * they want to hear about (none: everything public) and a contact to tell when the endpoint is
 * disabled; each gets a signing secret, shown once.
 */
@ApplicationScoped
public class WebhookSubscriptions {

    /** An endpoint as the API shows it; the secret only in the answer to its creation. */
    public record Subscription(long id, String url, List<String> scopes, String contactEmail, Instant createdAt,
            Instant disabledAt, String disabledReason, String signingSecret) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final EntityManager em;
    private final Clock clock;
    private final AuditLog audit;
    private final PublicAddresses addresses;

    WebhookSubscriptions(EntityManager em, Clock clock, AuditLog audit, WebhooksConfig config) {
        this.em = em;
        this.clock = clock;
        this.audit = audit;
        this.addresses = new PublicAddresses(config.allowLoopback());
    }

    @Transactional
    public Subscription subscribe(String url, List<String> scopes, String contactEmail, Actor actor) {
        try {
            addresses.check(url);
        } catch (PublicAddresses.Refused refused) {
            throw ProblemException.invalidField("url", refused.getMessage());
        }
        List<String> wanted = scopes == null ? List.of() : scopes.stream().distinct().toList();
        for (String scope : wanted) {
            String problem = Scopes.problemWith(scope);
            if (problem != null) {
                throw ProblemException.invalidField("scopes", scope + ": " + problem);
            }
        }
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        String secret = "whsec_" + HexFormat.of().formatHex(random);
        Instant now = clock.instant();
        Number id = (Number) em.createNativeQuery("""
                insert into webhook_subscription (url, scopes, signing_secret, contact_email, created_at)
                values (?1, cast(?2 as text[]), ?3, ?4, ?5) returning id""")
                .setParameter(1, url.trim()).setParameter(2, wanted.toArray(String[]::new)).setParameter(3, secret)
                .setParameter(4, contactEmail).setParameter(5, Timestamp.from(now)).getSingleResult();
        audit.record(actor, "webhook.subscribe", "webhook:" + id, java.net.URI.create(url.trim()).getHost());
        return new Subscription(id.longValue(), url.trim(), wanted, contactEmail, now, null, null, secret);
    }

    @Transactional
    @SuppressWarnings("unchecked")
    public List<Subscription> list() {
        return ((List<Tuple>) em.createNativeQuery("""
                select id, url, scopes, contact_email, created_at, disabled_at, disabled_reason
                from webhook_subscription order by id""", Tuple.class).getResultList()).stream()
                .map(row -> new Subscription(row.get("id", Number.class).longValue(), row.get("url", String.class),
                        List.of((String[]) row.get("scopes")), row.get("contact_email", String.class),
                        SqlTimes.instant(row.get("created_at")), SqlTimes.instant(row.get("disabled_at")),
                        row.get("disabled_reason", String.class), null))
                .toList();
    }

    @Transactional
    public void unsubscribe(long id, Actor actor) {
        if (em.createNativeQuery("delete from webhook_subscription where id = ?1").setParameter(1, id).executeUpdate() == 0) {
            throw ProblemException.notFound("Webhook subscription " + id);
        }
        em.createNativeQuery("delete from webhook_delivery where subscription_id = ?1").setParameter(1, id).executeUpdate();
        audit.record(actor, "webhook.unsubscribe", "webhook:" + id, null);
    }
}
