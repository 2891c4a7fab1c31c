package io.incidentcomms.audience;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.access.Role;
import io.incidentcomms.incident.DeliveryEstimates;
import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.platform.openapi.ApiDocument;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.StreamingOutput;

/** Who will be told, before publishing. */
@Tag(name = ApiDocument.AUDIENCE)
@Path("/api/incidents/{key}/audience")
@RolesAllowed(Role.OPS_NAME)
public class AudienceResource {

    private final IncidentQueries incidents;
    private final AudienceResolver resolver;
    private final DeliveryEstimates estimates;

    AudienceResource(IncidentQueries incidents, AudienceResolver resolver, DeliveryEstimates estimates) {
        this.incidents = incidents;
        this.resolver = resolver;
        this.estimates = estimates;
    }

    @GET
    public AudienceResolver.Preview preview(@PathParam("key") String key) {
        AudienceResolver.Preview preview = resolver.preview(incidents.audienceTarget(key));
        return preview.withDeliveryEstimate(
                estimates.toReach(preview.perChannel().get(Channel.EMAIL), preview.perChannel().get(Channel.SMS)));
    }

    /** Every recipient as JSON lines, streamed from the database: the whole resolution, for ops to check. */
    @GET
    @Path("recipients")
    @Produces("application/x-ndjson")
    public StreamingOutput recipients(@PathParam("key") String key) {
        IncidentQueries.AudienceTarget target = incidents.audienceTarget(key);
        return out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            resolver.stream(target, recipient -> {
                try {
                    writer.write("{\"externalRef\":");
                    writer.write(quote(recipient.externalRef()));
                    writer.write(",\"channel\":\"");
                    writer.write(recipient.channel().wire());
                    writer.write("\",\"locale\":");
                    writer.write(quote(recipient.locale()));
                    writer.write(",\"timeZone\":");
                    writer.write(quote(recipient.timeZone()));
                    writer.write("}\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.flush();
        };
    }

    private static String quote(String text) {
        return io.vertx.core.json.Json.encode(text);
    }
}
