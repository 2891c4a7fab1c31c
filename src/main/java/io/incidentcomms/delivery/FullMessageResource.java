package io.incidentcomms.delivery;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /m/<id>}: the short link in an SMS opens the recipient's full message. */
@Path("/m")
public class FullMessageResource {

    private final FullMessages messages;

    FullMessageResource(FullMessages messages) {
        this.messages = messages;
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.TEXT_HTML)
    public Response show(@PathParam("id") String id) {
        FullMessages.Page page = messages.byShortLink(id);
        return Response.ok(page.html()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Content-Language", page.locale())
                // the page carries the recipient's own answer links: never cached, never sent on as a referrer
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer")
                .header("X-Robots-Tag", "noindex").build();
    }

}
