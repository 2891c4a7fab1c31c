package io.incidentcomms.incident.ingest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** Monitoring and ticketing systems post here; each source is authenticated by its own scheme. */
@Path("/api/hooks/{source}")
public class WebhookResource {

    private final Webhooks webhooks;

    WebhookResource(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Webhooks.Received receive(@PathParam("source") String source, byte[] body, HttpHeaders headers) {
        return webhooks.receive(source, body, headers::getHeaderString);
    }
}
