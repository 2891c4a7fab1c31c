package io.incidentcomms.statuspage;

import java.time.ZoneId;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.web.CustomerPage;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** {@code /incidents/<key>}: the public page of one incident, which every email about it links to. */
@Tag(name = ApiDocument.CUSTOMER_PAGES)
@Path("/incidents")
public class IncidentPageResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance incident(IncidentPage.Model incident, boolean switchLanguage);
    }

    private final IncidentPage page;
    private final CustomerPage customerPage;

    IncidentPageResource(IncidentPage page, CustomerPage customerPage) {
        this.page = page;
        this.customerPage = customerPage;
    }

    @GET
    @Path("{key}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance incident(@PathParam("key") String key, @QueryParam("lang") String lang,
            @Context HttpHeaders headers) {
        customerPage.use(null, lang, headers);
        ZoneId zone = ZoneId.of("UTC");
        return customerPage.render(Templates.incident(page.of(key, customerPage.locale(), zone), true));
    }
}
