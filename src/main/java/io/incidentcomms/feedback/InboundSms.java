package io.incidentcomms.feedback;

import java.util.List;

import io.incidentcomms.audience.ConsentService;
import io.incidentcomms.message.MessageRenderer;
import io.incidentcomms.message.MessageTemplates;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Replies to our SMS: the carrier keywords (opt out, opt back in, help) for every contact point
 * with that number, across incidents; anything else goes to {@link Answers} as an option code or
 * a free reply. The answer is TwiML: the help text, the choice noted, or the question which
 * incident is meant; none after STOP and START (Twilio itself confirms them on long codes).
 */
@ApplicationScoped
public class InboundSms {


    private final ConsentService consent;
    private final MessageTemplates templates;
    private final MessageRenderer renderer;
    private final Answers answers;

    InboundSms(ConsentService consent, MessageTemplates templates, MessageRenderer renderer, Answers answers) {
        this.answers = answers;
        this.consent = consent;
        this.templates = templates;
        this.renderer = renderer;
    }

    /** Handles one reply; returns the TwiML to answer with. */
    public String receive(String from, String body) {
        return twiml(answer(from, body));
    }

    /**
     * Handles one reply from a number (an opt-out or -in keyword, HELP, an option code, free text);
     * returns what to answer it by SMS, or null for no answer. The local run's inbox calls this too.
     */
    public String answer(String from, String body) {
        SmsReplyText text = SmsReplyText.read(body);
        if (text instanceof SmsReplyText.CarrierKeyword carrier) {
            switch (carrier.keyword()) {
                case STOP -> consent.optOutByReply(from);
                case START -> consent.optInByReply(from);
                case HELP -> {
                    return renderer.help(templates.current(), localeOf(from));
                }
            }
            return null;
        }
        Answers.Reply reply = answers.smsReply(from, text);
        if (reply instanceof Answers.Answered answered) {
            Answers.Offer offer = answered.offer();
            return renderer.answerNoted(templates.current(), localeOf(from), offer.option(), offer.title(),
                    offer.incidentKey(), offer.defaultLocale());
        }
        if (reply instanceof Answers.Ambiguous ambiguous) {
            List<MessageRenderer.Choice> choices = ambiguous.offers().stream().map(o -> new MessageRenderer.Choice(o.code(),
                    o.incidentKey(), o.title(), o.defaultLocale())).toList();
            return renderer.answerWhich(templates.current(), localeOf(from), choices);
        }
        if (reply instanceof Answers.NoLongerOffered no) {
            Answers.Withdrawn w = no.withdrawn();
            return renderer.answerWithdrawn(templates.current(), localeOf(from), w.code(), w.title(),
                    w.incidentKey(), w.open(), w.defaultLocale());
        }
        return null;
    }

    private String localeOf(String from) {
        List<String> locales = consent.localesOfNumber(from);
        return locales.isEmpty() ? null : locales.get(0);
    }

    static String twiml(String message) {
        if (message == null) {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
        }
        String escaped = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>" + escaped + "</Message></Response>";
    }
}
