package io.incidentcomms.delivery;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.access.Role;
import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.platform.openapi.ApiDocument;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;

/**
 * An incident's pool of single-use goodwill codes: ops import a file of codes (one per line) and
 * see how many are left. A resolution with a {@code goodwill} offer gives each recipient one.
 */
@Tag(name = ApiDocument.DELIVERY)
@Path("/api/incidents/{key}/goodwill-codes")
@RolesAllowed(Role.OPS_NAME)
public class GoodwillCodeResource {

    private final GoodwillCodes codes;
    private final IncidentQueries incidents;

    GoodwillCodeResource(GoodwillCodes codes, IncidentQueries incidents) {
        this.codes = codes;
        this.incidents = incidents;
    }

    /** Adds the codes of a text or CSV file, one per line; a code already in the pool is left as it is. */
    @POST
    @Consumes({ MediaType.TEXT_PLAIN, "text/csv" })
    public GoodwillCodes.PoolSize add(@PathParam("key") String key, String file) {
        return codes.add(incidents.audienceTarget(key).incidentId(), file == null ? List.of() : file.lines().toList());
    }

    @GET
    public GoodwillCodes.PoolSize size(@PathParam("key") String key) {
        long incidentId = incidents.audienceTarget(key).incidentId();
        return new GoodwillCodes.PoolSize(0, codes.free(incidentId), codes.given(incidentId));
    }
}
