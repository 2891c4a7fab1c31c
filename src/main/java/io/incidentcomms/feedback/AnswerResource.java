package io.incidentcomms.feedback;

import io.incidentcomms.audience.SelfServiceTokens;
import io.incidentcomms.platform.problem.ProblemException;
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

/**
 * The page behind an email's option link. Opening the link (as mail scanners do) records
 * nothing; the button on the page POSTs the choice.
 */
@Path("/self-service/answer")
public class AnswerResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance confirm(String token, Answers.Offer offer, boolean expired);

        static native TemplateInstance answered(Answers.Offer offer);
    }

    private final SelfServiceTokens tokens;
    private final Answers answers;

    AnswerResource(SelfServiceTokens tokens, Answers answers) {
        this.tokens = tokens;
        this.answers = answers;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance confirm(@QueryParam("token") String token, @QueryParam("option") String option) {
        SelfServiceTokens.Claims claims = incidentClaims(token);
        return Templates.confirm(token, offer(claims, option), claims.expired());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance answer(@FormParam("token") String token, @FormParam("option") String option) {
        SelfServiceTokens.Claims claims = incidentClaims(token);
        if (claims.expired()) {
            throw new ProblemException(401, "expired-token", "Unauthorized",
                    "This link has expired; answers are taken while the link is valid");
        }
        return Templates.answered(answers.answerByEmail(claims.contactPointId(), claims.incidentId(), option)
                .orElseThrow(() -> notOffered(option)));
    }

    private SelfServiceTokens.Claims incidentClaims(String token) {
        SelfServiceTokens.Claims claims = tokens.verify(token);
        if (claims.incidentId() == null) {
            throw SelfServiceTokens.invalid();
        }
        return claims;
    }

    private Answers.Offer offer(SelfServiceTokens.Claims claims, String option) {
        return answers.emailOffer(claims.contactPointId(), claims.incidentId(), option)
                .orElseThrow(() -> notOffered(option));
    }

    private static ProblemException notOffered(String option) {
        return new ProblemException(404, "option-not-offered", "Not Found",
                "No message you received about this incident offers the option '" + option + "'");
    }
}
