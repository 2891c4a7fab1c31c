package io.incidentcomms.platform.openapi;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import jakarta.ws.rs.core.Application;

/**
 * The OpenAPI document's frame (served at {@code /q/openapi}): what the API is and its tags. How
 * callers authenticate: an API key as a bearer token (configured in application.properties and
 * added to every operation that needs a role, so Swagger UI can authenticate), a signature for
 * webhook sources and Twilio's for its callbacks (in {@code META-INF/openapi.yaml}). See
 * {@code docs/SECURITY.md}.
 */
@OpenAPIDefinition(
        info = @Info(title = "Incident communication API", version = "1",
                description = "Declare disruptions, post updates, and see who was told what and what they answered.",
                license = @License(name = "Apache-2.0")),
        tags = {
                @Tag(name = ApiDocument.INCIDENTS, description = "Declaring incidents and posting updates; anonymous readers see public incidents only"),
                @Tag(name = ApiDocument.MESSAGES, description = "What customers would read: previews and template checks"),
                @Tag(name = ApiDocument.AUDIENCE, description = "Subscribers and whom an incident reaches"),
                @Tag(name = ApiDocument.DELIVERY, description = "The delivery log, channels, goodwill codes and work set aside"),
                @Tag(name = ApiDocument.FEEDBACK, description = "Answers, bounces and who was not reached"),
                @Tag(name = ApiDocument.INGEST, description = "Disruption events from monitoring and ticketing systems"),
                @Tag(name = ApiDocument.PROVIDERS, description = "Callbacks from Twilio: inbound SMS and delivery reports"),
                @Tag(name = ApiDocument.ACCESS, description = "API keys"),
                @Tag(name = ApiDocument.STATUS_PAGE, description = "The public status page and its component catalog"),
                @Tag(name = ApiDocument.CUSTOMER_PAGES, description = "Pages customers open from their messages (HTML)") })
public class ApiDocument extends Application {

    public static final String INCIDENTS = "Incidents";
    public static final String MESSAGES = "Messages";
    public static final String AUDIENCE = "Audience";
    public static final String DELIVERY = "Delivery";
    public static final String FEEDBACK = "Feedback";
    public static final String INGEST = "Ingest";
    public static final String PROVIDERS = "Providers";
    public static final String ACCESS = "Access";
    public static final String STATUS_PAGE = "Status page";
    public static final String CUSTOMER_PAGES = "Customer pages";
}
