package io.incidentcomms.message;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.incidentcomms.incident.MessageKind;
import io.incidentcomms.incident.MessageOption;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Renders one message for one recipient from a template set: the four parts (explain,
 * acknowledge, options, confirm) from the kind's file, put together by the locale's layouts into
 * an email (subject, HTML, text) and an SMS that fits the segment limit.
 */
@ApplicationScoped
public class MessageRenderer {

    public static final List<String> PARTS = List.of("explain", "acknowledge", "options", "confirm");
    static final List<String> KIND_SECTIONS = List.of("subject", "explain", "acknowledge", "options", "confirm", "sms_short");
    static final List<String> LAYOUT_SECTIONS = List.of("email_text", "sms", "stop_footer", "help");

    public enum Channel {
        EMAIL, SMS
    }

    /**
     * What the message is about; {@code position} counts earlier customer messages of the
     * incident; {@code lasted} is how long the incident lasted, in the message that ends it.
     */
    public record Content(MessageKind kind, String title, Map<String, String> explain, String defaultLocale,
            String acknowledge, List<MessageOption> options, String question, Instant nextUpdateBy, int position,
            java.time.Duration lasted) {

        public Content(MessageKind kind, String title, Map<String, String> explain, String defaultLocale,
                String acknowledge, List<MessageOption> options, String question, Instant nextUpdateBy, int position) {
            this(kind, title, explain, defaultLocale, acknowledge, options, question, nextUpdateBy, position, null);
        }
    }

    /** Who it is for; {@code token} signs the links (null in previews). */
    public record Recipient(String locale, ZoneId zone, Channel channel, boolean firstSmsAboutIncident, String token) {
    }

    public record Parts(String explain, String acknowledge, String options, String confirm) {
    }

    public record Rendered(String templateVersion, String locale, Parts parts, String subject, String html, String text,
            String sms, int smsSegments, boolean smsShortForm) {
    }

    private final MessageConfig config;
    private final Clock clock;

    MessageRenderer(MessageConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public Rendered render(TemplateSet set, Content content, Recipient recipient) {
        String locale = templateLocale(set, recipient.locale());
        Map<String, Object> data = data(set, content, recipient, locale);
        String kindFile = locale + "/" + content.kind().wire() + ".txt";
        Template kind = set.template(kindFile);
        Parts parts = new Parts(section(kind, kindFile, "explain", data), section(kind, kindFile, "acknowledge", data),
                section(kind, kindFile, "options", data), section(kind, kindFile, "confirm", data));
        Map<String, Object> layoutData = new HashMap<>(data);
        layoutData.put("parts", Map.of("explain", parts.explain(), "acknowledge", parts.acknowledge(),
                "options", parts.options(), "confirm", parts.confirm()));
        String layoutFile = locale + "/" + TemplateSet.LAYOUT_TEXT;
        Template layout = set.template(layoutFile);
        if (recipient.channel() == Channel.SMS) {
            String footer = recipient.firstSmsAboutIncident() ? " " + section(layout, layoutFile, "stop_footer", layoutData) : "";
            String sms = SmsText.normalize(oneLine(section(layout, layoutFile, "sms", layoutData)) + footer);
            boolean shortForm = false;
            if (SmsText.segments(sms) > config.smsMaxSegments()) {
                shortForm = true;
                sms = shortForm(kind, kindFile, data, footer);
            }
            return new Rendered(set.version(), locale, parts, null, null, null, sms, SmsText.segments(sms), shortForm);
        }
        String subject = oneLine(section(kind, kindFile, "subject", data));
        layoutData.put("subject", subject);
        String text = section(layout, layoutFile, "email_text", layoutData).strip() + "\n";
        String html = MailHtml.compact(set.template(locale + "/" + TemplateSet.LAYOUT_HTML).data(layoutData).render());
        return new Rendered(set.version(), locale, parts, subject, html, text, null, 0, false);
    }

    /** The SMS help text (reply to HELP / INFO) in a locale. */
    public String help(TemplateSet set, String recipientLocale) {
        String locale = templateLocale(set, recipientLocale);
        Map<String, Object> data = Map.of("brand", config.brand());
        return SmsText.normalize(oneLine(set.template(locale + "/" + TemplateSet.LAYOUT_TEXT).getFragment("help")
                .data(data).render()));
    }

    /** The SMS answer to a reply that chose an option. */
    public String answerNoted(TemplateSet set, String recipientLocale, String label) {
        return replyText(set, recipientLocale, "answer_noted", Map.of("brand", config.brand(), "label", label),
                config.brand() + ": Thank you. We noted your choice: " + label + ".");
    }

    /**
     * The SMS answer to an option code that several incidents offered: which one is meant.
     * Each choice is a map of {@code code}, {@code incidentKey} and {@code title}.
     */
    public String answerWhich(TemplateSet set, String recipientLocale, List<Map<String, String>> choices) {
        String fallback = config.brand() + ": Which incident do you mean? " + choices.stream()
                .map(c -> "Reply " + c.get("code") + " " + c.get("incidentKey") + " for \"" + c.get("title") + "\"")
                .collect(java.util.stream.Collectors.joining("; ")) + ".";
        return replyText(set, recipientLocale, "answer_which", Map.of("brand", config.brand(), "choices", choices),
                fallback);
    }

    /** A layout fragment as one SMS line; template sets from before the fragment existed get the English fallback. */
    private String replyText(TemplateSet set, String recipientLocale, String fragmentId, Map<String, Object> data,
            String fallback) {
        String locale = templateLocale(set, recipientLocale);
        Template fragment = set.template(locale + "/" + TemplateSet.LAYOUT_TEXT).getFragment(fragmentId);
        return SmsText.normalize(oneLine(fragment == null ? fallback : fragment.data(data).render()));
    }

    /**
     * The kind's short form; if even that is too long, the title loses words from its end (never
     * a word cut in half, and the option codes are not in the short form to begin with).
     */
    private String shortForm(Template kind, String kindFile, Map<String, Object> data, String footer) {
        String title = (String) data.get("title");
        List<String> words = new ArrayList<>(List.of(title.split("\\s+")));
        Map<String, Object> shortened = new HashMap<>(data);
        while (true) {
            String sms = SmsText.normalize(oneLine(section(kind, kindFile, "sms_short", shortened)) + footer);
            if (SmsText.segments(sms) <= config.smsMaxSegments() || words.size() <= 1) {
                return sms;
            }
            words.remove(words.size() - 1);
            shortened.put("title", String.join(" ", words) + "...");
        }
    }

    private Map<String, Object> data(TemplateSet set, Content content, Recipient recipient, String locale) {
        Map<String, Object> data = new HashMap<>();
        data.put("brand", config.brand());
        data.put("locale", locale);
        data.put("channel", recipient.channel() == Channel.SMS ? "sms" : "email");
        data.put("title", content.title());
        data.put("explain", explain(content, recipient.locale()));
        data.put("acknowledgement", acknowledgement(set, content, locale));
        List<Map<String, Object>> options = new ArrayList<>();
        List<Map<String, Object>> links = new ArrayList<>();
        String token = recipient.token() == null ? "preview" : recipient.token();
        for (MessageOption option : content.options() == null ? List.<MessageOption>of() : content.options()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("code", option.code());
            o.put("label", option.label());
            o.put("detail", option.detail());
            options.add(o);
            links.add(Map.of("label", option.label(), "url", config.publicBaseUrl() + "/self-service/answer?token="
                    + encode(token) + "&option=" + encode(option.code())));
        }
        data.put("options", options);
        data.put("optionLinks", links);
        data.put("question", content.question());
        data.put("lasted", content.lasted() == null ? null : lasted(content.lasted()));
        data.put("nextUpdate", content.nextUpdateBy() == null ? null
                : formatTime(content.nextUpdateBy(), recipient.zone(), Locale.forLanguageTag(recipient.locale())));
        data.put("preferencesUrl", config.publicBaseUrl() + "/self-service?token=" + encode(token));
        return data;
    }

    /** "2 h 15 min", "40 min": readable in the packaged languages alike. */
    static String lasted(java.time.Duration duration) {
        long minutes = Math.max(1, (duration.toSeconds() + 59) / 60);
        long hours = minutes / 60;
        if (hours >= 48) {
            return (hours / 24) + " d " + (hours % 24) + " h";
        }
        return hours == 0 ? minutes + " min" : minutes % 60 == 0 ? hours + " h" : hours + " h " + (minutes % 60) + " min";
    }

    /** The update's text in the recipient's locale, else its language, else the default locale's. */
    static String explain(Content content, String recipientLocale) {
        Map<String, String> texts = content.explain() == null ? Map.of() : content.explain();
        String language = Locale.forLanguageTag(recipientLocale).getLanguage();
        String text = texts.get(recipientLocale);
        if (text == null) {
            text = texts.entrySet().stream().filter(e -> Locale.forLanguageTag(e.getKey()).getLanguage().equals(language))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
        if (text == null) {
            text = texts.get(content.defaultLocale());
        }
        return text == null || text.isBlank() ? content.title() : text;
    }

    /** Rotates through the locale's phrasings so consecutive updates do not repeat one sentence. */
    private static String acknowledgement(TemplateSet set, Content content, String locale) {
        if (content.acknowledge() != null && !content.acknowledge().isBlank()) {
            return content.acknowledge();
        }
        List<String> phrasings = set.acknowledgements(locale);
        return phrasings.isEmpty() ? "" : phrasings.get(Math.floorMod(content.position(), phrasings.size()));
    }

    /** Time of day in the recipient's zone and locale; with the date when it is not today there. */
    String formatTime(Instant instant, ZoneId zone, Locale locale) {
        ZonedDateTime at = instant.atZone(zone);
        String time = DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(locale).format(at);
        String zoneName = DateTimeFormatter.ofPattern("zzz", locale).format(at);
        if (at.toLocalDate().equals(clock.instant().atZone(zone).toLocalDate())) {
            return time + " " + zoneName;
        }
        String date = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale).format(at);
        return date + ", " + time + " " + zoneName;
    }

    String templateLocale(TemplateSet set, String requested) {
        List<String> locales = config.locales();
        String candidate = requested == null ? locales.get(0) : requested;
        if (locales.contains(candidate) && set.has(candidate + "/" + TemplateSet.LAYOUT_TEXT)) {
            return candidate;
        }
        String language = Locale.forLanguageTag(candidate).getLanguage();
        if (locales.contains(language) && set.has(language + "/" + TemplateSet.LAYOUT_TEXT)) {
            return language;
        }
        return locales.get(0);
    }

    private static String section(Template template, String file, String id, Map<String, Object> data) {
        Template fragment = template.getFragment(id);
        if (fragment == null) {
            throw new TemplateSet.TemplateProblem(file, "missing section '" + id + "'");
        }
        try {
            return fragment.data(data).render().strip();
        } catch (RuntimeException e) {
            throw new TemplateSet.TemplateProblem(file, "section '" + id + "': " + e.getMessage());
        }
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
