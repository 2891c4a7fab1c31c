package io.incidentcomms.feedback;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.access.Role;
import io.incidentcomms.delivery.DeliveryLog;
import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.platform.openapi.ApiDocument;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * An incident's outcome for ops: notifications per channel and state, answers per option, who is
 * still affected, free replies, and the not-reached list (also whole, as JSON or CSV).
 */
@Tag(name = ApiDocument.FEEDBACK)
@Path("/api/incidents/{key}")
@RolesAllowed(Role.OPS_NAME)
public class IncidentSummaryResource {

    public record Summary(String incidentKey, Map<String, Map<String, Long>> perChannel, long total,
            List<FeedbackSummary.OptionCount> answers, long stillAffected, long freeReplies,
            List<FeedbackSummary.Reply> latestReplies, long notReached, List<NotReachedList.NotReached> notReachedSample) {
    }

    private final DeliveryLog log;
    private final FeedbackSummary feedback;
    private final IncidentQueries incidents;
    private final NotReachedList notReached;

    IncidentSummaryResource(DeliveryLog log, FeedbackSummary feedback, IncidentQueries incidents,
            NotReachedList notReached) {
        this.log = log;
        this.feedback = feedback;
        this.incidents = incidents;
        this.notReached = notReached;
    }

    @GET
    @Path("summary")
    public Summary summary(@PathParam("key") String key) {
        DeliveryLog.Summary deliveries = log.summary(key);
        FeedbackSummary.Feedback answers = feedback.of(incidents.audienceTarget(key).incidentId());
        return new Summary(deliveries.incidentKey(), deliveries.perChannel(), deliveries.total(), answers.answers(),
                answers.stillAffected(), answers.freeReplies(), answers.latestReplies(), answers.notReached(),
                answers.notReachedSample());
    }

    @GET
    @Path("not-reached")
    @Produces(MediaType.APPLICATION_JSON)
    public StreamingOutput notReached(@PathParam("key") String key) {
        long incidentId = incidents.audienceTarget(key).incidentId();
        return out -> notReached.writeJson(incidentId, out);
    }

    @GET
    @Path("not-reached")
    @Produces("text/csv")
    public StreamingOutput notReachedCsv(@PathParam("key") String key) {
        long incidentId = incidents.audienceTarget(key).incidentId();
        return out -> notReached.writeCsv(incidentId, out);
    }
}
