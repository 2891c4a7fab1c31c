package io.incidentcomms.cadence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.incidentcomms.audience.Masking;
import io.incidentcomms.delivery.SmsSender;
import io.incidentcomms.events.OutboundEvents;
import io.incidentcomms.incident.Incident;
import io.incidentcomms.message.MessageConfig;
import io.incidentcomms.delivery.EmailSender;
import io.incidentcomms.delivery.SendOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Reminders to the people who owe customers an update: the incident's owner (by email, else
 * SMS) and, on escalation, the escalation contact. The nudge is published on
 * {@code incident-events} in the transaction that fired it; the email or SMS goes after commit,
 * at most once (a nudge is for staff, and the event carries it too).
 */
@ApplicationScoped
public class OwnerNudges {

    private static final Logger LOG = Logger.getLogger(OwnerNudges.class);

    public enum Reason {
        /** The promised update is due soon and ops have posted nothing since. */
        UPDATE_DUE,
        /** Several holding updates in a row went out: nobody has posted news for a long time. */
        ESCALATION,
        /** Customers keep answering that the resolved incident still affects them. */
        STILL_AFFECTED
    }

    /** A reminder to send once the transaction that fired it has committed. */
    public record Nudge(String incidentKey, String title, String to, String text) {
    }

    private final OutboundEvents events;
    private final EmailSender email;
    private final SmsSender sms;
    private final MessageConfig messages;
    private final CadenceConfig config;

    OwnerNudges(OutboundEvents events, EmailSender email, SmsSender sms, MessageConfig messages, CadenceConfig config) {
        this.events = events;
        this.email = email;
        this.sms = sms;
        this.messages = messages;
        this.config = config;
    }

    /** Publishes the nudge and returns whom to tell; call within the transaction that decided it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Nudge> nudge(Incident incident, Reason reason, Instant dueAt, Map<String, Object> detail) {
        String link = messages.publicBaseUrl() + "/api/incidents/" + incident.key;
        String text = switch (reason) {
            case UPDATE_DUE -> "Customers were promised the next update on " + incident.key + " (" + incident.title
                    + ") by " + dueAt + ". Post one (POST " + link + "/updates), or they get a holding update then.";
            case ESCALATION -> incident.key + " (" + incident.title + ") has had " + detail.get("holdingsInARow")
                    + " holding updates in a row: customers have heard no news for a long time. " + link;
            case STILL_AFFECTED -> detail.get("stillAffected") + " customers say " + incident.key + " (" + incident.title
                    + ") still affects them after it was resolved. " + link;
        };
        Map<String, Object> data = new LinkedHashMap<>(detail);
        data.put("reason", reason.name().toLowerCase().replace('_', '-'));
        if (dueAt != null) {
            data.put("dueAt", dueAt.toString());
        }
        List<Nudge> nudges = new ArrayList<>();
        String owner = incident.ownerEmail != null ? incident.ownerEmail : incident.ownerPhone;
        if (owner != null) {
            nudges.add(new Nudge(incident.key, incident.title, owner, text));
        }
        if (reason == Reason.ESCALATION) {
            config.escalationContact().ifPresent(contact -> nudges.add(new Nudge(incident.key, incident.title, contact, text)));
        }
        data.put("nudged", nudges.size());
        events.record(reason == Reason.ESCALATION ? "incident.escalated" : "incident.nudge", incident.key, data);
        return nudges;
    }

    /** Sends a nudge; a failure is logged (the event on the bus has it already). */
    public void send(Nudge nudge) {
        try {
            if (nudge.to().contains("@")) {
                SendOutcome outcome = email.sendPlain(nudge.to(), "[" + nudge.incidentKey() + "] " + nudge.title(),
                        nudge.text());
                if (outcome.kind() != SendOutcome.Kind.SENT) {
                    LOG.warnf("Nudging about %s failed: %s", nudge.incidentKey(), outcome.error());
                    return;
                }
                LOG.infof("Nudged %s about %s", Masking.email(nudge.to()), nudge.incidentKey());
            } else {
                sms.send(nudge.to(), nudge.text(), null);
                LOG.infof("Nudged %s about %s", Masking.phone(nudge.to()), nudge.incidentKey());
            }
        } catch (RuntimeException e) {
            LOG.warnf("Nudging about %s failed: %s", nudge.incidentKey(), e.toString());
        }
    }
}
