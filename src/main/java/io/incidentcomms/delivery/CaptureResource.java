package io.incidentcomms.delivery;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/**
 * What the no-services run would have sent, newest first, as JSON (the inbox page at the same
 * address is {@code LocalInboxResource}). Not there in production.
 */
@Tag(name = ApiDocument.DELIVERY)
@Path("/local/messages")
public class CaptureResource {

    private final CaptureSink sink;
    private final DeliveryConfig config;

    CaptureResource(CaptureSink sink, DeliveryConfig config) {
        this.sink = sink;
        this.config = config;
    }

    @GET
    @jakarta.ws.rs.Produces(jakarta.ws.rs.core.MediaType.APPLICATION_JSON)
    public List<CaptureSink.Captured> messages(@QueryParam("channel") String channel) {
        if (!config.capture()) {
            throw ProblemException.notFound("The capture sink (it exists only in the no-services run)");
        }
        return sink.messages().stream().filter(m -> channel == null || m.channel().equals(channel)).toList();
    }
}
