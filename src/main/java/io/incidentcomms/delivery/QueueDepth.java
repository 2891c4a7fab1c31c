package io.incidentcomms.delivery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.incidentcomms.audience.Channel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

/** What is waiting to go out, over all incidents: notifications planned or being sent, per channel. */
@ApplicationScoped
public class QueueDepth {

    /** Waiting notifications of one channel, and on how many incidents. */
    public record Waiting(String channel, long notifications, long incidents) {
    }

    /**
     * Counts from the queue table, which holds only unfinished notifications, so that the count
     * reads what waits, not every notification ever sent.
     */
    static final String WAITING = """
            select channel, count(*) as notifications, count(distinct incident_id) as incidents
            from notification_queue where state in ('PLANNED', 'SENDING')
            group by channel""";

    private final EntityManager em;

    QueueDepth(EntityManager em) {
        this.em = em;
    }

    @Transactional
    @SuppressWarnings("unchecked")
    public List<Waiting> waiting() {
        Map<String, Waiting> waiting = new LinkedHashMap<>();
        for (Channel channel : Channel.values()) {
            waiting.put(channel.wire(), new Waiting(channel.wire(), 0, 0));
        }
        for (Tuple row : (List<Tuple>) em.createNativeQuery(WAITING, Tuple.class).getResultList()) {
            String channel = row.get("channel", String.class).toLowerCase();
            waiting.put(channel, new Waiting(channel, row.get("notifications", Number.class).longValue(),
                    row.get("incidents", Number.class).longValue()));
        }
        return List.copyOf(waiting.values());
    }
}
