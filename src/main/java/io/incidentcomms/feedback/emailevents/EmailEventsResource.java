package io.incidentcomms.feedback.emailevents;

import java.io.IOException;
import java.io.InputStream;

import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.incidentcomms.platform.openapi.ApiDocument;
import io.incidentcomms.platform.problem.ApiBodies;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * Bounce and complaint events from email providers ({@code ses} through SNS, {@code sendgrid},
 * {@code postmark}), each authenticated the way that provider can; no API key opens it.
 */
@Tag(name = ApiDocument.FEEDBACK)
@SecurityRequirement(name = "webhookSignature")
@Path("/api/email-events/{provider}")
public class EmailEventsResource {

    private final EmailEvents events;
    private final ApiBodies bodies;

    EmailEventsResource(EmailEvents events, ApiBodies bodies) {
        this.events = events;
        this.bodies = bodies;
    }

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public EmailEvents.Received receive(@PathParam("provider") String provider, InputStream body, HttpHeaders headers)
            throws IOException {
        events.admit(provider, headers::getHeaderString);
        byte[] bytes = bodies.read(body);
        return events.receive(provider, bytes, headers::getHeaderString);
    }
}
