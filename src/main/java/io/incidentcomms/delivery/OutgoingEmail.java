package io.incidentcomms.delivery;

import java.util.Map;

/**
 * One email as handed to an SMTP library: whichever sends it ({@link MailTransport}) builds its
 * own message from this. {@code html} may be null (plain text only); {@code bounceAddress} is the
 * envelope sender (Return-Path), null for the server's default; {@code headers} are added in order.
 */
public record OutgoingEmail(String from, String to, String subject, String text, String html,
        Map<String, String> headers, String bounceAddress) {
}
