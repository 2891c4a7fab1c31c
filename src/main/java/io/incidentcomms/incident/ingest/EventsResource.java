package io.incidentcomms.incident.ingest;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.access.Role;
import io.incidentcomms.platform.openapi.ApiDocument;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** The bus entry over HTTP, for integrations holding an API key with the integration role. */
@Tag(name = ApiDocument.INGEST)
@Path("/api/events")
public class EventsResource {

    private final Webhooks webhooks;

    EventsResource(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @POST
    @RolesAllowed(Role.EVENTS_NAME)
    public IngestionService.Result receive(@NotNull GenericEvent event) {
        return webhooks.receiveTrusted(DisruptionEventsConsumer.SOURCE, event);
    }
}
