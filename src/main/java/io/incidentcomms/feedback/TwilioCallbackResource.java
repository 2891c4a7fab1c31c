package io.incidentcomms.feedback;

import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Twilio calls back here; the signature, not an API key, authenticates it. */
@Tag(name = ApiDocument.PROVIDERS)
@SecurityRequirement(name = "twilioSignature")
@Path("/api/twilio")
public class TwilioCallbackResource {

    private final TwilioSignatures signatures;
    private final ProviderReceipts receipts;
    private final InboundSms inbound;

    TwilioCallbackResource(TwilioSignatures signatures, ProviderReceipts receipts, InboundSms inbound) {
        this.signatures = signatures;
        this.receipts = receipts;
        this.inbound = inbound;
    }

    /** A reply to one of our SMS (the messaging webhook of the number or service); answered in TwiML. */
    @POST
    @Path("/inbound")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_XML)
    public String inbound(MultivaluedMap<String, String> form, @HeaderParam("X-Twilio-Signature") String signature) {
        signatures.verify("/api/twilio/inbound", form, signature);
        String from = form.getFirst("From");
        if (from == null || from.isBlank()) {
            throw ProblemException.invalidField("From", "is required");
        }
        return inbound.receive(from, form.getFirst("Body"));
    }

    /** A message's status; the notification id rides in the StatusCallback URL. */
    @POST
    @Path("/status")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response status(MultivaluedMap<String, String> form, @HeaderParam("X-Twilio-Signature") String signature,
            @Context UriInfo uri) {
        String query = uri.getRequestUri().getRawQuery();
        signatures.verify("/api/twilio/status" + (query == null ? "" : "?" + query), form, signature);
        String notification = uri.getQueryParameters().getFirst("notification");
        long id;
        try {
            id = Long.parseLong(notification);
        } catch (NumberFormatException | NullPointerException e) {
            throw ProblemException.invalidField("notification", "must be the notification id");
        }
        receipts.receive(id, form.getFirst("MessageStatus"), form.getFirst("ErrorCode"), form.getFirst("MessageSid"));
        return Response.noContent().build();
    }
}
