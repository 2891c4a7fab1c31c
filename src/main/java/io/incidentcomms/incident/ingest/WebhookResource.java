package io.incidentcomms.incident.ingest;

import java.io.IOException;
import java.io.InputStream;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.problem.ProblemException;
import io.quarkus.runtime.configuration.MemorySize;
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
    private final long maxBody;

    WebhookResource(Webhooks webhooks, @ConfigProperty(name = "comms.http.max-api-body", defaultValue = "256K") MemorySize maxBody) {
        this.webhooks = webhooks;
        this.maxBody = maxBody.asLongValue();
    }

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    public Webhooks.Received receive(@PathParam("source") String source, InputStream body, HttpHeaders headers)
            throws IOException {
        webhooks.admit(source, headers::getHeaderString);
        byte[] bytes = body.readNBytes((int) maxBody + 1);
        if (bytes.length > maxBody) {
            throw new ProblemException(413, "content-too-large", "Content Too Large",
                    "The request body is larger than " + (maxBody / 1024) + " KiB");
        }
        return webhooks.receive(source, bytes, headers::getHeaderString);
    }
}
