package io.incidentcomms.feedback;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jboss.logging.Logger;

import io.incidentcomms.audience.ConsentService;
import io.incidentcomms.audience.Masking;
import io.incidentcomms.message.MessageRenderer;
import io.incidentcomms.message.MessageTemplates;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Replies to our SMS: the carrier keywords (opt out, opt back in, help) for every contact point
 * with that number, across incidents. The answer is TwiML: a message for HELP, none otherwise
 * (Twilio itself confirms STOP and START on long codes).
 */
@ApplicationScoped
public class InboundSms {

    private static final Logger LOG = Logger.getLogger(InboundSms.class);
    static final Set<String> STOP = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
    static final Set<String> START = Set.of("START", "YES", "UNSTOP");
    static final Set<String> HELP = Set.of("HELP", "INFO");

    private final ConsentService consent;
    private final MessageTemplates templates;
    private final MessageRenderer renderer;

    InboundSms(ConsentService consent, MessageTemplates templates, MessageRenderer renderer) {
        this.consent = consent;
        this.templates = templates;
        this.renderer = renderer;
    }

    /** Handles one reply; returns the TwiML to answer with. */
    public String receive(String from, String body) {
        String keyword = body == null ? "" : body.strip().toUpperCase(Locale.ROOT);
        if (STOP.contains(keyword)) {
            consent.optOutByReply(from);
            return twiml(null);
        }
        if (START.contains(keyword)) {
            consent.optInByReply(from);
            return twiml(null);
        }
        if (HELP.contains(keyword)) {
            List<String> locales = consent.localesOfNumber(from);
            return twiml(renderer.help(templates.current(), locales.isEmpty() ? null : locales.get(0)));
        }
        LOG.infof("A reply from %s that is no keyword (%d characters); replies are not stored yet", Masking.phone(from),
                keyword.length());
        return twiml(null);
    }

    static String twiml(String message) {
        if (message == null) {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
        }
        String escaped = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>" + escaped + "</Message></Response>";
    }
}
