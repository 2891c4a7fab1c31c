package io.incidentcomms.statuspage.signup;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;

import io.incidentcomms.audience.TimeZones;
import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.problem.Problem.FieldViolation;
import io.incidentcomms.platform.web.CustomerPage;
import io.incidentcomms.platform.web.PageLocales;
import io.incidentcomms.statuspage.ComponentCatalog;
import io.incidentcomms.statuspage.StatusPage;
import io.incidentcomms.statuspage.StatusPageConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
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
 * The sign-up pages behind the status page's "Subscribe" link: the form, "check your messages"
 * (with the code form for SMS), the confirmation page an email's link opens (its button confirms),
 * and "you are subscribed" with a link to manage it. In the visitor's language, no JavaScript.
 */
@Tag(name = ApiDocument.CUSTOMER_PAGES)
@Path("/subscribe")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class SignupResource {

    /** A component, or a whole group, to choose. */
    public record Choice(String value, String label, boolean checked) {
    }

    /** The form as filled in (to show it again with its errors). */
    public record Filled(String email, String phone, String locale, String timeZone) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance form(Filled filled, List<Choice> choices, List<PageLocales.Language> languages,
                List<TimeZones.Choice> timeZones, Map<String, String> errors, boolean switchLanguage);

        static native TemplateInstance check(String email, String phone, String signup, String wrongCode,
                boolean switchLanguage);

        static native TemplateInstance confirm(String email, String token, boolean switchLanguage);

        static native TemplateInstance done(String manageToken, boolean switchLanguage);

        static native TemplateInstance refused(String message, boolean switchLanguage);
    }

    /** A choice that stands for a whole group of components. */
    static final String GROUP = "group:";

    private final Signups signups;
    private final CustomerPage customerPage;
    private final ComponentCatalog catalog;
    private final PageLocales locales;
    private final TimeZones timeZones;
    private final StatusPageConfig statusPage;
    private final Clock clock;

    SignupResource(Signups signups, CustomerPage customerPage, ComponentCatalog catalog, PageLocales locales,
            TimeZones timeZones, StatusPageConfig statusPage, Clock clock) {
        this.clock = clock;
        this.signups = signups;
        this.customerPage = customerPage;
        this.catalog = catalog;
        this.locales = locales;
        this.timeZones = timeZones;
        this.statusPage = statusPage;
    }

    @GET
    public TemplateInstance form(@QueryParam("lang") String lang, @Context HttpHeaders headers) {
        customerPage.use(null, lang, headers);
        return form(new Filled(null, null, customerPage.lang(), statusPage.timeZone().getId()), List.of(), Map.of());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response start(@RestForm String email, @RestForm String phone, @RestForm List<String> scope,
            @RestForm String locale, @RestForm String timeZone, @RestForm String website, @QueryParam("lang") String lang,
            @Context HttpHeaders headers, @Context HttpServerRequest request) {
        customerPage.use(locale, lang, headers);
        List<String> chosen = scope == null ? List.of() : scope.stream().filter(s -> !s.isBlank()).toList();
        List<String> scopes = expandGroups(chosen);
        Signups.Started started = signups.start(new Signups.Form(email, phone, scopes, locale, timeZone, website),
                request.remoteAddress() == null ? "unknown" : request.remoteAddress().host(), customerPage.locale());
        SignupMessages words = Signups.words(customerPage.locale());
        if (started instanceof Signups.Accepted accepted) {
            return Response.ok(customerPage.render(Templates.check(accepted.email(), accepted.phone(),
                    accepted.phone() == null ? null : accepted.signup().toString(), null, true))).build();
        }
        if (started instanceof Signups.TooMany tooMany) {
            String when = StatusPage.time(tooMany.retryAt(), customerPage.locale(), statusPage.timeZone())
                    + " (" + statusPage.timeZone().getId() + ")";
            return Response.status(429).header("Retry-After", Math.max(1,
                    java.time.Duration.between(clock.instant(), tooMany.retryAt()).toSeconds()))
                    .entity(customerPage.render(Templates.refused(words.tooMany(when), true))).build();
        }
        Map<String, String> errors = new LinkedHashMap<>();
        for (FieldViolation violation : ((Signups.Invalid) started).errors()) {
            errors.putIfAbsent(violation.field().replaceAll("\\[.*", ""), violation.message());
        }
        return Response.status(400).entity(form(new Filled(email, phone, locale, timeZone), chosen, errors)).build();
    }

    @GET
    @Path("confirm")
    public Response confirmPage(@QueryParam("token") String token, @QueryParam("lang") String lang,
            @Context HttpHeaders headers) {
        customerPage.use(null, lang, headers);
        return signups.pendingEmail(token)
                .map(p -> Response.ok(customerPage.render(Templates.confirm(p.email(), token, true))).build())
                .orElseGet(this::expired);
    }

    @POST
    @Path("confirm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response confirm(@RestForm String token, @QueryParam("lang") String lang, @Context HttpHeaders headers) {
        customerPage.use(null, lang, headers);
        return answer(signups.confirmEmail(token), null);
    }

    @POST
    @Path("verify")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response verify(@RestForm String signup, @RestForm String code, @QueryParam("lang") String lang,
            @Context HttpHeaders headers) {
        customerPage.use(null, lang, headers);
        UUID id;
        try {
            id = UUID.fromString(String.valueOf(signup));
        } catch (IllegalArgumentException e) {
            return expired();
        }
        return answer(signups.verifySms(id, code), signup);
    }

    private Response answer(Signups.Confirmed confirmed, String signup) {
        SignupMessages words = Signups.words(customerPage.locale());
        if (confirmed instanceof Signups.Subscribed subscribed) {
            return Response.ok(customerPage.render(Templates.done(subscribed.manageToken(), true))).build();
        }
        if (confirmed instanceof Signups.WrongCode wrong) {
            return Response.status(400).entity(customerPage.render(Templates.check(null, "", signup,
                    words.wrongCode(wrong.triesLeft()), true))).build();
        }
        return expired();
    }

    private Response expired() {
        return Response.status(410).entity(customerPage.render(Templates.refused(
                Signups.words(customerPage.locale()).expired(), true))).build();
    }

    private TemplateInstance form(Filled filled, List<String> chosen, Map<String, String> errors) {
        String tag = customerPage.lang();
        SignupMessages words = Signups.words(customerPage.locale());
        List<Choice> choices = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (ComponentCatalog.Entry entry : catalog.list()) {
            if (entry.group() != null && !groups.contains(entry.group())) {
                groups.add(entry.group());
                choices.add(new Choice(GROUP + entry.group(), words.wholeGroup(entry.group()),
                        chosen.contains(GROUP + entry.group())));
            }
            String name = LocalizedText.in(entry.names(), tag);
            choices.add(new Choice(entry.scope(), name != null ? name : entry.names().values().iterator().next(),
                    chosen.contains(entry.scope())));
        }
        return customerPage.render(Templates.form(filled, choices, locales.choices(filled.locale()),
                timeZones.choices(filled.timeZone()), errors, true));
    }

    /** A whole group stands for its members as they are now. */
    private List<String> expandGroups(List<String> chosen) {
        List<String> scopes = new ArrayList<>();
        for (String value : chosen) {
            if (value.startsWith(GROUP)) {
                String group = value.substring(GROUP.length());
                catalog.list().stream().filter(e -> group.equals(e.group())).forEach(e -> scopes.add(e.scope()));
            } else {
                scopes.add(value);
            }
        }
        return scopes.stream().distinct().toList();
    }
}
