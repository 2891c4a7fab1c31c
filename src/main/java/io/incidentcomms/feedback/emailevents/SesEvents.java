package io.incidentcomms.feedback.emailevents;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an Amazon SES notification (SNS's {@code Message}) reports, as SES notifications
 * ({@code notificationType}) or event publishing ({@code eventType}) write it: a Permanent bounce is
 * hard, a Transient or Undetermined one soft, a complaint a complaint, each per recipient; our own
 * Message-ID comes back in {@code mail.commonHeaders} when the original headers are included.
 * Untrusted input, read after the signature checked out.
 */
final class SesEvents {

    private SesEvents() {
    }

    /** The events of one SES notification, which arrived in the SNS message {@code snsMessageId}. */
    static List<EmailEvent> of(JsonNode notification, String snsMessageId) {
        List<EmailEvent> events = new ArrayList<>();
        String type = SnsMessages.text(notification, "notificationType");
        if (type == null) {
            type = SnsMessages.text(notification, "eventType");
        }
        String ourMessageId = SnsMessages.text(notification.path("mail").path("commonHeaders"), "messageId");
        if (type == null) {
            return events;
        }
        switch (type) {
            case "Bounce" -> {
                JsonNode bounce = notification.path("bounce");
                boolean hard = "Permanent".equals(SnsMessages.text(bounce, "bounceType"));
                String detail = SnsMessages.text(bounce, "bounceType") + "/" + SnsMessages.text(bounce, "bounceSubType");
                for (JsonNode recipient : bounce.path("bouncedRecipients")) {
                    String address = SnsMessages.text(recipient, "emailAddress");
                    if (address != null) {
                        events.add(new EmailEvent(hard ? EmailEvent.Kind.HARD_BOUNCE : EmailEvent.Kind.SOFT_BOUNCE, address,
                                ourMessageId, detail + " " + SnsMessages.text(recipient, "status"),
                                snsMessageId + "|" + address));
                    }
                }
            }
            case "Complaint" -> {
                JsonNode complaint = notification.path("complaint");
                for (JsonNode recipient : complaint.path("complainedRecipients")) {
                    String address = SnsMessages.text(recipient, "emailAddress");
                    if (address != null) {
                        events.add(new EmailEvent(EmailEvent.Kind.COMPLAINT, address, ourMessageId,
                                SnsMessages.text(complaint, "complaintFeedbackType"), snsMessageId + "|" + address));
                    }
                }
            }
            case "Delivery" -> {
                for (JsonNode recipient : notification.path("delivery").path("recipients")) {
                    if (recipient.isTextual()) {
                        events.add(new EmailEvent(EmailEvent.Kind.DELIVERED, recipient.asText(), ourMessageId, null,
                                snsMessageId + "|" + recipient.asText()));
                    }
                }
            }
            default -> {
                // sends, opens, clicks, rejects: nothing for us to do
            }
        }
        return events;
    }
}
