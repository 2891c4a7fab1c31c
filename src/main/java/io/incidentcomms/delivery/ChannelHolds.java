package io.incidentcomms.delivery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.audit.Actor;
import io.incidentcomms.audit.AuditLog;
import io.incidentcomms.events.OutboundEvents;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A channel held because the provider refused our account (wrong credentials, a sender it will
 * not send from). Nobody's address is at fault, so no recipient is marked; the messages wait,
 * ops are alerted (error log, {@code comms_channel_held}, a {@code channel.held} event on
 * {@code incident-events}) and the channel sends what waited once they resume it. Created at start,
 * so that {@code comms_channel_held} is exported before the first send (an alert needs the series).
 */
@io.quarkus.runtime.Startup
@ApplicationScoped
public class ChannelHolds {

    private static final Logger LOG = Logger.getLogger(ChannelHolds.class);

    private final SenderPacing pacing;
    private final OutboundEvents events;
    private final AuditLog audit;

    ChannelHolds(SenderPacing pacing, OutboundEvents events, AuditLog audit, MeterRegistry registry) {
        this.pacing = pacing;
        this.events = events;
        this.audit = audit;
        for (Channel channel : Channel.values()) {
            Gauge.builder("comms.channel.held", () -> pacing.describe(channel).held() ? 1 : 0)
                    .tag("channel", channel.wire())
                    .description("1 while the channel is held because the provider refused our account").register(registry);
        }
    }

    /** Holds the channel; the first replica to do so alerts. */
    void hold(Channel channel, String reason) {
        if (pacing.hold(channel, reason)) {
            LOG.errorf("The %s provider refused our account (%s): the %s channel is held until ops resume it",
                    channel.wire(), reason, channel.wire());
            QuarkusTransaction.requiringNew().run(() -> events.record("channel.held", null, data(channel, reason)));
        }
    }

    /** Resumes a held channel; returns its state afterwards. */
    public SenderPacing.SenderState resume(Channel channel, Actor actor) {
        if (pacing.resume(channel)) {
            LOG.infof("The %s channel was resumed by %s; held messages go out now", channel.wire(), actor.name());
            QuarkusTransaction.requiringNew().run(() -> {
                events.record("channel.resumed", null, data(channel, null));
                audit.record(actor, "channel.resume", "channel:" + channel.wire(), null);
            });
        }
        return pacing.describe(channel);
    }

    public List<SenderPacing.SenderState> states() {
        return List.of(Channel.values()).stream().map(pacing::describe).toList();
    }

    private static Map<String, Object> data(Channel channel, String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("channel", channel.wire());
        if (reason != null) {
            data.put("reason", reason);
        }
        return data;
    }
}
