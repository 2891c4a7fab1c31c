package io.incidentcomms.feedback;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.audience.SelfService;
import io.incidentcomms.audience.SelfServiceTokens;
import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.incident.MessageOption;
import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.problem.ProblemException;
import io.incidentcomms.platform.web.CustomerPage;
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

/**
 * The page behind an email's option link, in the recipient's language. Opening the link (as mail
 * scanners do) records nothing; the button on the page POSTs the choice. A withdrawn option shows
 * what is open now instead; an expired link says so and leads to the settings.
 */
@Tag(name = ApiDocument.CUSTOMER_PAGES)
@Path("/self-service/answer")
public class AnswerResource {

    /** An option as the page shows it: its code, label in the page's language, and the link that picks it. */
    public record Choice(String code, String label, String url) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance confirm(String token, String title, Choice choice);

        static native TemplateInstance answered(String title, String label);

        static native TemplateInstance withdrawn(String title, List<Choice> open);

        static native TemplateInstance expired(String settingsUrl);
    }

    private final SelfService selfService;
    private final Answers answers;
    private final CustomerPage customerPage;

    AnswerResource(SelfService selfService, Answers answers, CustomerPage customerPage) {
        this.selfService = selfService;
        this.answers = answers;
        this.customerPage = customerPage;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance confirm(@QueryParam("token") String token, @QueryParam("option") String option,
            @Context HttpHeaders headers) {
        SelfServiceTokens.Claims claims = incidentClaims(token);
        String locale = inLanguageOf(token, headers);
        if (claims.expired()) {
            return customerPage.render(Templates.expired(settingsUrl(token)));
        }
        return page(token, locale, answers.emailChoice(claims.contactPointId(), claims.incidentId(), option), option, false);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance answer(@FormParam("token") String token, @FormParam("option") String option,
            @Context HttpHeaders headers) {
        SelfServiceTokens.Claims claims = incidentClaims(token);
        String locale = inLanguageOf(token, headers);
        if (claims.expired()) {
            return customerPage.render(Templates.expired(settingsUrl(token)));
        }
        return page(token, locale, answers.answerByEmail(claims.contactPointId(), claims.incidentId(), option), option, true);
    }

    private TemplateInstance page(String token, String locale, Answers.LinkChoice choice, String option, boolean recorded) {
        if (choice instanceof Answers.Open open) {
            Answers.Offer offer = open.offer();
            String title = text(offer.title(), locale, offer.defaultLocale());
            String label = label(offer.option(), locale, offer.defaultLocale());
            return customerPage.render(recorded ? Templates.answered(title, label)
                    : Templates.confirm(token, title, new Choice(offer.code(), label, null)));
        }
        if (choice instanceof Answers.Closed closed) {
            Answers.Withdrawn withdrawn = closed.withdrawn();
            List<Choice> open = withdrawn.open().stream().map(o -> new Choice(o.code(),
                    label(o, locale, withdrawn.defaultLocale()), "/self-service/answer?token="
                            + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&option=" + o.code())).toList();
            return customerPage.render(Templates.withdrawn(text(withdrawn.title(), locale, withdrawn.defaultLocale()), open));
        }
        throw new ProblemException(404, "option-not-offered", "Not Found",
                "No message you received about this incident offers the option '" + option + "'");
    }

    private SelfServiceTokens.Claims incidentClaims(String token) {
        SelfServiceTokens.Claims claims = selfService.verify(token);
        if (claims.incidentId() == null) {
            throw SelfServiceTokens.invalid();
        }
        return claims;
    }

    /** The page speaks the subscriber's language; returns it. */
    private String inLanguageOf(String token, HttpHeaders headers) {
        customerPage.token(token);
        customerPage.use(selfService.holder(token).locale(), null, headers);
        return customerPage.lang();
    }

    private static String label(MessageOption option, String locale, String defaultLocale) {
        return text(option.label(), locale, defaultLocale);
    }

    private static String text(Map<String, String> texts, String locale, String defaultLocale) {
        String text = LocalizedText.in(texts, locale);
        return text != null ? text : LocalizedText.in(texts, defaultLocale);
    }

    private static String settingsUrl(String token) {
        return "/self-service?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }
}
