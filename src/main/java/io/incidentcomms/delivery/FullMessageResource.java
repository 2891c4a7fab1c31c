package io.incidentcomms.delivery;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.problem.ProblemException;
import io.incidentcomms.platform.web.GuessLimiter;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /m/<id>}: the short link in an SMS opens the recipient's full message. */
@Tag(name = ApiDocument.CUSTOMER_PAGES)
@Path("/m")
public class FullMessageResource {

    private final FullMessages messages;
    private final GuessLimiter guesses;

    FullMessageResource(FullMessages messages, GuessLimiter guesses) {
        this.messages = messages;
        this.guesses = guesses;
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.TEXT_HTML)
    public Response show(@PathParam("id") String id, @Context HttpServerRequest request) {
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        guesses.check(client);
        FullMessages.Page page;
        try {
            page = messages.byShortLink(id);
        } catch (ProblemException e) {
            if (e.status() == 404) {
                guesses.miss(client);
            }
            throw e;
        }
        return Response.ok(page.html()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Content-Language", page.locale())
                // the page carries the recipient's own answer links: never cached, never sent on as a referrer
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer")
                .header("X-Robots-Tag", "noindex").build();
    }

}
