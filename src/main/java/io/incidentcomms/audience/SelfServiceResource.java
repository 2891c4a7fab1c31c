package io.incidentcomms.audience;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.web.CustomerPage;
import io.incidentcomms.platform.web.PageLocales;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The pages behind the links in messages, in the subscriber's language. A GET only shows a page
 * (mail scanners open every link); every change is a POST from a button on the page, or the
 * RFC 8058 one-click POST.
 */
@Tag(name = ApiDocument.CUSTOMER_PAGES)
@Path("/self-service")
public class SelfServiceResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(SelfService.PageModel model, List<PageLocales.Language> languages,
                List<TimeZones.Choice> timeZones, boolean saved);

        static native TemplateInstance optedOut(String token, String address, boolean canUndo, int undoMinutes);

        static native TemplateInstance undone(String settingsUrl, boolean undone);
    }

    private final SelfService selfService;
    private final CustomerPage customerPage;
    private final PageLocales locales;
    private final TimeZones timeZones;

    SelfServiceResource(SelfService selfService, CustomerPage customerPage, PageLocales locales, TimeZones timeZones) {
        this.timeZones = timeZones;
        this.selfService = selfService;
        this.customerPage = customerPage;
        this.locales = locales;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@QueryParam("token") String token, @QueryParam("saved") boolean saved,
            @Context HttpHeaders headers) {
        SelfService.PageModel model = selfService.page(token);
        customerPage.use(model.locale(), null, headers);
        return customerPage.render(Templates.page(model, locales.choices(model.locale()),
                timeZones.choices(model.timeZone()), saved));
    }

    @POST
    @Path("opt-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance optOut(@FormParam("token") String token, @Context HttpHeaders headers) {
        SelfService.Holder holder = inLanguageOf(token, headers);
        selfService.optOut(token);
        return customerPage.render(Templates.optedOut(token, holder.address(), true, selfService.undoMinutes()));
    }

    @POST
    @Path("opt-out/undo")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance undoOptOut(@FormParam("token") String token, @Context HttpHeaders headers) {
        inLanguageOf(token, headers);
        return customerPage.render(Templates.undone(settingsUrl(token, false), selfService.undoOptOut(token)));
    }

    /** RFC 8058: mail clients POST {@code List-Unsubscribe=One-Click} to the link in the header. */
    @POST
    @Path("unsubscribe")
    @Consumes({ MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    @Produces(MediaType.TEXT_PLAIN)
    public String oneClickUnsubscribe(@QueryParam("token") String token) {
        selfService.optOut(token);
        return "Unsubscribed";
    }

    @POST
    @Path("mute")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response mute(@FormParam("token") String token, @Context HttpHeaders headers) {
        inLanguageOf(token, headers);
        selfService.mute(token);
        return backTo(token, false);
    }

    @POST
    @Path("drop-scope")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response dropScope(@FormParam("token") String token, @FormParam("scope") String scope,
            @Context HttpHeaders headers) {
        inLanguageOf(token, headers);
        selfService.dropScope(token, scope);
        return backTo(token, false);
    }

    @POST
    @Path("preferences")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response preferences(@FormParam("token") String token, @FormParam("locale") String locale,
            @FormParam("timeZone") String timeZone, @FormParam("firstChannel") String firstChannel,
            @Context HttpHeaders headers) {
        inLanguageOf(token, headers);
        selfService.updatePreferences(token, locale, timeZone, firstChannel);
        return backTo(token, true);
    }

    /** Pages (and error pages) for this link speak its holder's language; an error page can still offer to opt out. */
    private SelfService.Holder inLanguageOf(String token, HttpHeaders headers) {
        customerPage.token(token);
        SelfService.Holder holder = selfService.holder(token);
        customerPage.use(holder.locale(), null, headers);
        return holder;
    }

    private static Response backTo(String token, boolean saved) {
        return Response.seeOther(URI.create(settingsUrl(token, saved))).build();
    }

    private static String settingsUrl(String token, boolean saved) {
        return "/self-service?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + (saved ? "&saved=true" : "");
    }
}
