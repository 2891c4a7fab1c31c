package io.incidentcomms.delivery;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.incidentcomms.audience.Channel;
import io.incidentcomms.incident.NotificationIntents;
import io.incidentcomms.platform.tracing.Traces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One span per provider send, in the trace its update was published in, so a trace shows the
 * request, the planning and every send it led to. Costs nothing when tracing is off.
 */
@ApplicationScoped
class SendTraces {

    private final Traces traces;
    private final NotificationIntents intents;

    SendTraces(Traces traces, NotificationIntents intents) {
        this.traces = traces;
        this.intents = intents;
    }

    /** The kept trace parent of each update in a batch, read once per batch; empty when tracing is off. */
    Map<Long, String> parentsOf(List<Claimed> batch) {
        if (!traces.on() || batch.isEmpty()) {
            return Map.of();
        }
        return intents.traceParents(batch.stream().map(Claimed::updateId).collect(Collectors.toSet()));
    }

    /** Starts the span of one send; the caller ends it with {@link #finish}. */
    Span start(Claimed claimed, Map<Long, String> parents) {
        if (!traces.on()) {
            return Span.getInvalid();
        }
        Span span = traces.start(claimed.channel() == Channel.SMS ? "send sms" : "send email", SpanKind.CLIENT,
                parents.get(claimed.updateId()));
        span.setAttribute("comms.notification_id", claimed.id());
        span.setAttribute("comms.update_id", claimed.updateId());
        span.setAttribute("comms.channel", claimed.channel().name());
        span.setAttribute("comms.attempt", claimed.attempts());
        return span;
    }

    /** Ends a send's span with the provider's answer (never the recipient's address or the text). */
    void finish(Span span, SendOutcome outcome) {
        span.setAttribute("comms.outcome", outcome.kind().name());
        if (outcome.kind() != SendOutcome.Kind.SENT) {
            span.setStatus(StatusCode.ERROR, outcome.kind().name());
        }
        span.end();
    }
}
