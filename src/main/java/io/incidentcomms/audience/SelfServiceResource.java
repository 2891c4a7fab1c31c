package io.incidentcomms.audience;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The pages behind the links in messages. A GET only shows a page (mail scanners open every
 * link); every change is a POST from a button on the page, or the RFC 8058 one-click POST.
 */
@Path("/self-service")
public class SelfServiceResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(SelfService.PageModel model);

        static native TemplateInstance done(String message);
    }

    private final SelfService selfService;

    SelfServiceResource(SelfService selfService) {
        this.selfService = selfService;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@QueryParam("token") String token) {
        return Templates.page(selfService.page(token));
    }

    @POST
    @Path("opt-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance optOut(@FormParam("token") String token) {
        selfService.optOut(token);
        return Templates.done("You will get no more messages on this address.");
    }

    /** RFC 8058: mail clients POST {@code List-Unsubscribe=One-Click} to the link in the header. */
    @POST
    @Path("unsubscribe")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_PLAIN)
    public String oneClickUnsubscribe(@QueryParam("token") String token) {
        selfService.optOut(token);
        return "Unsubscribed";
    }

    @POST
    @Path("mute")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response mute(@FormParam("token") String token) {
        selfService.mute(token);
        return backTo(token);
    }

    @POST
    @Path("drop-scope")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response dropScope(@FormParam("token") String token, @FormParam("scope") String scope) {
        selfService.dropScope(token, scope);
        return backTo(token);
    }

    @POST
    @Path("preferences")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response preferences(@FormParam("token") String token, @FormParam("locale") String locale,
            @FormParam("timeZone") String timeZone, @FormParam("firstChannel") String firstChannel) {
        selfService.updatePreferences(token, locale, timeZone, firstChannel);
        return backTo(token);
    }

    private static Response backTo(String token) {
        return Response.seeOther(URI.create("/self-service?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build();
    }
}
