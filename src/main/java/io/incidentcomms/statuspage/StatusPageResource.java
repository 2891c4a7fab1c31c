package io.incidentcomms.statuspage;

import java.time.ZoneId;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.audience.TimeZones;
import io.incidentcomms.incident.IncidentQueries;
import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.web.CustomerPage;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

/**
 * The public status page ({@code /}) and its history ({@code /history}): server-rendered, no
 * JavaScript, in the visitor's language ({@code ?lang=}, Accept-Language) and, when they chose one
 * ({@code ?tz=}), their time zone — always named.
 */
@Tag(name = ApiDocument.STATUS_PAGE)
@Path("/")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class StatusPageResource {

    static final int HISTORY_PAGE_SIZE = 20;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(StatusPage.Home home, String zoneParameter, boolean switchLanguage);

        static native TemplateInstance history(StatusPage.History history, String zoneParameter, boolean switchLanguage);
    }

    private final StatusPage page;
    private final CustomerPage customerPage;
    private final IncidentQueries incidents;
    private final TimeZones timeZones;
    private final StatusPageConfig config;
    private final PublicStatus publicStatus;
    private final RenderedPages rendered;

    StatusPageResource(StatusPage page, CustomerPage customerPage, IncidentQueries incidents, TimeZones timeZones,
            StatusPageConfig config, PublicStatus publicStatus, RenderedPages rendered) {
        this.publicStatus = publicStatus;
        this.rendered = rendered;
        this.page = page;
        this.customerPage = customerPage;
        this.incidents = incidents;
        this.timeZones = timeZones;
        this.config = config;
    }

    @GET
    @Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
    public String home(@QueryParam("lang") String lang, @QueryParam("tz") String tz, @Context HttpHeaders headers,
            @Context UriInfo uri) {
        customerPage.use(null, lang, headers);
        ZoneId zone = zone(tz);
        return rendered.get(publicStatus.now().version(), customerPage.lang() + " " + uri.getRequestUri().getRawQuery(),
                () -> customerPage.render(Templates.home(page.home(customerPage.locale(), zone), zoneParameter(tz), true))
                        .render());
    }

    @GET
    @Path("history")
    public TemplateInstance history(@QueryParam("page") @DefaultValue("0") @Min(0) @Max(10_000) int number,
            @QueryParam("lang") String lang, @QueryParam("tz") String tz, @Context HttpHeaders headers) {
        customerPage.use(null, lang, headers);
        ZoneId zone = zone(tz);
        return customerPage.render(Templates.history(page.history(customerPage.locale(), zone,
                incidents.publicHistory(number, HISTORY_PAGE_SIZE)), zoneParameter(tz), true));
    }

    /** The visitor's zone when they chose a known one, else the page's. */
    private ZoneId zone(String tz) {
        return tz != null && timeZones.known(tz) ? ZoneId.of(tz) : config.timeZone();
    }

    private String zoneParameter(String tz) {
        return tz != null && timeZones.known(tz) ? tz : null;
    }
}
