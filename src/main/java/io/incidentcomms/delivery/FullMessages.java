package io.incidentcomms.delivery;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import io.incidentcomms.audience.SelfServiceTokens;
import io.incidentcomms.incident.IncidentConfig;
import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.message.MessageRenderer;
import io.incidentcomms.message.MessageTemplates;
import io.incidentcomms.platform.problem.ProblemException;
import io.incidentcomms.platform.time.SqlTimes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

/**
 * The whole message behind an SMS short link, as its recipient's email would show it: in their
 * language and time zone (with the promise their quiet hours made), with their option buttons and
 * goodwill code, and links that work only as long as the short link does.
 */
@ApplicationScoped
public class FullMessages {

    /** The message as a page, in the language it is written in. */
    public record Page(String html, String locale) {
    }

    private final ShortLinks shortLinks;
    private final IncidentQueries incidents;
    private final MessageTemplates templates;
    private final MessageRenderer renderer;
    private final SelfServiceTokens tokens;
    private final EntityManager em;
    private final IncidentConfig incidentConfig;

    FullMessages(ShortLinks shortLinks, IncidentQueries incidents, MessageTemplates templates, MessageRenderer renderer,
            SelfServiceTokens tokens, EntityManager em, IncidentConfig incidentConfig) {
        this.incidentConfig = incidentConfig;
        this.shortLinks = shortLinks;
        this.incidents = incidents;
        this.templates = templates;
        this.renderer = renderer;
        this.tokens = tokens;
        this.em = em;
    }

    @Transactional
    public Page byShortLink(String id) {
        ShortLinks.Target target = shortLinks.resolve(id)
                .orElseThrow(() -> new ProblemException(404, "message-not-found", "Not Found", "There is no message here"));
        if (target.expired()) {
            throw new ProblemException(410, "message-expired", "Gone", "This link to a message has expired");
        }
        @SuppressWarnings("unchecked")
        List<Tuple> rows = em.createNativeQuery("""
                select n.incident_update_id, n.incident_id, n.contact_point_id, cp.address, s.locale, s.time_zone, s.quiet_start,
                       s.quiet_end,
                       (select g.code from goodwill_code g where g.incident_id = n.incident_id and g.subscriber_id = n.subscriber_id)
                           as goodwill_code
                from notification n join subscriber s on s.id = n.subscriber_id
                join contact_point cp on cp.id = n.contact_point_id
                where n.id = ?1 and s.erased_at is null and cp.address is not null""", Tuple.class).setParameter(1, target.notificationId())
                .getResultList();
        Tuple row = rows.stream().findFirst()
                .orElseThrow(() -> new ProblemException(404, "message-not-found", "Not Found", "There is no message here"));
        long updateId = ((Number) row.get("incident_update_id")).longValue();
        long incidentId = ((Number) row.get("incident_id")).longValue();
        long contactPointId = ((Number) row.get("contact_point_id")).longValue();
        IncidentQueries.MessageSource source = incidents.messageSourceOfUpdate(updateId);
        String code = source.content().hasGoodwill() ? row.get("goodwill_code", String.class) : null;
        ZoneId zone = ZoneId.of(row.get("time_zone", String.class));
        Instant promise = QuietHours.promiseFor(source.nextUpdateBy(), source.severity(), zone,
                SqlTimes.localTime(row.get("quiet_start")), SqlTimes.localTime(row.get("quiet_end")), incidentConfig.promiseMargin());
        MessageRenderer.Rendered rendered = renderer.render(templates.version(source.templateVersion()),
                source.content().withNextUpdateBy(promise), new MessageRenderer.Recipient(row.get("locale", String.class),
                        zone, MessageRenderer.Channel.EMAIL, false, tokens.issue(contactPointId, row.get("address", String.class), incidentId,
                                target.expiresAt()),
                        null, code));
        return new Page(rendered.html(), rendered.locale());
    }
}
