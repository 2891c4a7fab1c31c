package io.incidentcomms.incident.ingest;

import java.io.IOException;
import java.io.InputStream;

import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.problem.ApiBodies;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * Monitoring and ticketing systems post here; each source is authenticated by its own scheme.
 * The source and whatever its headers prove are checked before a byte of the body is read, and
 * the body is read only up to the API limit.
 */
@Tag(name = ApiDocument.INGEST)
@SecurityRequirement(name = "webhookSignature")
@Path("/api/hooks/{source}")
public class WebhookResource {

    private final Webhooks webhooks;
    private final ApiBodies bodies;

    WebhookResource(Webhooks webhooks, ApiBodies bodies) {
        this.webhooks = webhooks;
        this.bodies = bodies;
    }

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    public Webhooks.Received receive(@PathParam("source") String source, InputStream body, HttpHeaders headers)
            throws IOException {
        webhooks.admit(source, headers::getHeaderString);
        byte[] bytes = bodies.read(body);
        return webhooks.receive(source, bytes, headers::getHeaderString);
    }
}
