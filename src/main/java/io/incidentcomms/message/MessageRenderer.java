package io.incidentcomms.message;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
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

import io.incidentcomms.incident.LocalizedText;
import io.incidentcomms.incident.MessageKind;
import io.incidentcomms.incident.MessageOption;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Renders one message for one recipient from a template set: the four parts (explain,
 * acknowledge, options, confirm) from the kind's file, in one language ({@link MessageLanguage}),
 * put together by the locale's layouts into an email (subject, HTML, text) and an SMS that fits
 * the segment limit ({@link SmsFitting}).
 */
@ApplicationScoped
public class MessageRenderer {

    public static final List<String> PARTS = List.of("explain", "acknowledge", "options", "confirm");
    static final List<String> KIND_SECTIONS = List.of("subject", "heading", "explain", "acknowledge", "options", "confirm",
            "sms_short");
    static final List<String> LAYOUT_SECTIONS = List.of("email_text", "sms", "stop_footer", "help", "answer_noted",
            "answer_which", "answer_withdrawn");
    /** Stands for the short link's id in a preview. */
    public static final String PREVIEW_SHORT_ID = "xxxxxxxx";

    public enum Channel {
        EMAIL, SMS
    }

    /**
     * What the message is about. Texts are locale → text maps; {@code acknowledgementIndex} counts
     * the incident's earlier customer messages of the same kind (so one recipient never reads the
     * same acknowledgement twice in an incident); {@code lasted} is how long the incident lasted, in
     * the message that ends it; {@code publicPage} says whether the incident has a public page;
     * {@code state} is the incident's state once the update is out ({@code identified}).
     */
    public record Content(MessageKind kind, String reference, Map<String, String> title, Map<String, String> explain,
            Map<String, String> explainSms, String defaultLocale, Map<String, String> acknowledge,
            List<MessageOption> options, Map<String, String> question, Instant nextUpdateBy, int acknowledgementIndex,
            Duration lasted, Map<String, String> goodwill, boolean publicPage, String state) {

        public Content {
            explainSms = explainSms == null ? Map.of() : explainSms;
            options = options == null ? List.of() : options;
        }

        /** A message whose incident state does not matter to it. */
        public Content(MessageKind kind, String reference, Map<String, String> title, Map<String, String> explain,
                Map<String, String> explainSms, String defaultLocale, Map<String, String> acknowledge,
                List<MessageOption> options, Map<String, String> question, Instant nextUpdateBy, int acknowledgementIndex,
                Duration lasted, Map<String, String> goodwill, boolean publicPage) {
            this(kind, reference, title, explain, explainSms, defaultLocale, acknowledge, options, question, nextUpdateBy,
                    acknowledgementIndex, lasted, goodwill, publicPage, null);
        }

        /** The same message with another promise (a recipient whose quiet hours it falls in). */
        public Content withNextUpdateBy(Instant promise) {
            return new Content(kind, reference, title, explain, explainSms, defaultLocale, acknowledge, options, question,
                    promise, acknowledgementIndex, lasted, goodwill, publicPage, state);
        }

        public boolean hasGoodwill() {
            return goodwill != null && !goodwill.isEmpty();
        }
    }

    /**
     * Who it is for. {@code token} signs the links (null in previews), {@code shortId} is the id of
     * their short link (null in previews), {@code goodwillCode} their own goodwill code, if any.
     */
    public record Recipient(String locale, ZoneId zone, Channel channel, boolean firstSmsAboutIncident, String token,
            String shortId, String goodwillCode) {

        public Recipient(String locale, ZoneId zone, Channel channel, boolean firstSmsAboutIncident, String token) {
            this(locale, zone, channel, firstSmsAboutIncident, token, null, null);
        }
    }

    public record Parts(String explain, String acknowledge, String options, String confirm) {
    }

    /**
     * One rendering. {@code locale} is the language it is written in, {@code fallback} whether that
     * is not the recipient's (and {@code missingTexts} why). For SMS: its form, which parts were
     * shortened to fit, the segments and encoding, and whether it carries the short link.
     */
    public record Rendered(String templateVersion, String locale, boolean fallback, List<String> missingTexts,
            Parts parts, String subject, String html, String text, String sms, int smsSegments,
            SmsText.Encoding smsEncoding, SmsFitting.Form smsForm, List<String> shortened, boolean smsLink) {

        public boolean smsShortForm() {
            return smsForm == SmsFitting.Form.SHORT_FORM;
        }
    }

    private final MessageConfig config;
    private final Clock clock;

    MessageRenderer(MessageConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public Rendered render(TemplateSet set, Content content, Recipient recipient) {
        MessageLanguage language = MessageLanguage.choose(set, config.locales(), content, recipient.locale());
        String locale = language.template();
        TemplateSet.Acknowledgement acknowledgement = acknowledgement(set, content, language);
        Map<String, Object> data = data(content, recipient, language, acknowledgement.full());
        MessageTemplate message = new MessageTemplate(set, locale, content.kind());
        if (recipient.channel() == Channel.SMS) {
            String footer = recipient.firstSmsAboutIncident() ? " " + message.layoutSection("stop_footer", data) : "";
            SmsFitting.Fitted sms = new SmsFitting(config.smsMaxSegments(), message, footer)
                    .fit(data, acknowledgement.brief(), LocalizedText.in(content.explainSms(), language.text()),
                            shortLink(recipient), content.reference());
            SmsText.Length length = SmsText.measure(sms.text());
            return new Rendered(set.version(), locale, language.fallback(), language.missing(), sms.parts(), null, null,
                    null, sms.text(), length.segments(), length.encoding(), sms.form(), sms.shortened(), sms.link());
        }
        Parts parts = message.parts(data);
        Map<String, Object> layoutData = new HashMap<>(data);
        layoutData.put("parts", MessageTemplate.asData(parts));
        String subject = oneLine(message.kindSection("subject", data));
        layoutData.put("subject", subject);
        layoutData.put("heading", oneLine(message.kindSection("heading", data)));
        String text = message.layoutSection("email_text", layoutData).strip() + "\n";
        String html = MailHtml.compact(set.template(locale + "/" + TemplateSet.LAYOUT_HTML).data(layoutData).render());
        return new Rendered(set.version(), locale, language.fallback(), language.missing(), parts, subject, html, text,
                null, 0, null, null, List.of(), false);
    }

    /** The SMS help text (reply to HELP / INFO) in a locale. */
    public String help(TemplateSet set, String recipientLocale) {
        return reply(set, recipientLocale, "help", Map.of("brand", config.brand()));
    }

    /**
     * The SMS answer to a reply that chose an option, in the recipient's language when the label is
     * in it; a title not in it gives way to the incident's reference, as in the messages.
     */
    public String answerNoted(TemplateSet set, String recipientLocale, MessageOption option, Map<String, String> title,
            String reference, String defaultLocale) {
        String locale = replyLocale(set, recipientLocale, defaultLocale, List.of(option.label()));
        return reply(set, locale, "answer_noted", Map.of("brand", config.brand(), "label", option.labelIn(locale),
                "title", firstNonNull(LocalizedText.in(title, locale), reference)));
    }

    /** One incident a reply's code could be meant for. */
    public record Choice(String code, String incidentKey, Map<String, String> title, String defaultLocale) {
    }

    /** The SMS answer to an option code that several incidents offer: which one is meant. */
    public String answerWhich(TemplateSet set, String recipientLocale, List<Choice> choices) {
        boolean allInRecipientsLanguage = recipientLocale != null
                && choices.stream().allMatch(c -> LocalizedText.in(c.title(), recipientLocale) != null);
        String locale = allInRecipientsLanguage ? recipientLocale : choices.get(0).defaultLocale();
        List<Map<String, String>> rows = choices.stream().map(c -> Map.of("code", c.code(), "incidentKey", c.incidentKey(),
                "title", firstNonNull(LocalizedText.in(c.title(), locale), c.incidentKey()))).toList();
        return reply(set, locale, "answer_which", Map.of("brand", config.brand(), "choices", rows));
    }

    /**
     * The SMS answer to a code whose option was withdrawn: it is no longer offered, and what is
     * open now (codes with their labels), if anything.
     */
    public String answerWithdrawn(TemplateSet set, String recipientLocale, String code, Map<String, String> title,
            String reference, List<MessageOption> open, String defaultLocale) {
        String locale = replyLocale(set, recipientLocale, defaultLocale, open.stream().map(MessageOption::label).toList());
        List<Map<String, String>> options = open.stream()
                .map(o -> Map.of("code", o.code(), "label", firstNonNull(o.labelIn(locale), o.code()))).toList();
        return reply(set, locale, "answer_withdrawn", Map.of("brand", config.brand(), "code", code, "title",
                firstNonNull(LocalizedText.in(title, locale), reference), "open", options));
    }

    /** The recipient's locale when every text is in it, else the default one: one language per reply. */
    private String replyLocale(TemplateSet set, String recipientLocale, String defaultLocale, List<Map<String, String>> texts) {
        if (recipientLocale != null && MessageLanguage.templateLocale(set, config.locales(), recipientLocale) != null) {
            boolean complete = true;
            for (Map<String, String> t : texts) {
                complete &= t == null || t.isEmpty() || LocalizedText.in(t, recipientLocale) != null;
            }
            if (complete) {
                return recipientLocale;
            }
        }
        return defaultLocale;
    }

    private String reply(TemplateSet set, String recipientLocale, String fragmentId, Map<String, Object> data) {
        String locale = MessageLanguage.templateLocale(set, config.locales(), recipientLocale);
        String folder = locale == null ? config.locales().get(0) : locale;
        Template fragment = set.template(folder + "/" + TemplateSet.LAYOUT_TEXT).getFragment(fragmentId);
        if (fragment == null) {
            throw new TemplateSet.TemplateProblem(folder + "/" + TemplateSet.LAYOUT_TEXT, "missing section '" + fragmentId + "'");
        }
        return SmsText.normalize(oneLine(fragment.data(data).render()));
    }

    /** The link an SMS carries to the recipient's full message, within 30 characters. */
    public String shortLink(Recipient recipient) {
        return shortLinkBase() + "/m/" + (recipient.shortId() == null ? PREVIEW_SHORT_ID : recipient.shortId());
    }

    public String shortLinkBase() {
        return config.shortLinkBase().orElseGet(() -> config.publicBaseUrl().replaceFirst("^https?://", ""))
                .replaceAll("/+$", "");
    }

    private Map<String, Object> data(Content content, Recipient recipient, MessageLanguage language, String acknowledgement) {
        String text = language.text();
        Map<String, Object> data = new HashMap<>();
        data.put("brand", config.brand());
        data.put("locale", language.template());
        data.put("channel", recipient.channel() == Channel.SMS ? "sms" : "email");
        String title = firstNonNull(LocalizedText.in(content.title(), text), content.reference());
        data.put("title", title);
        data.put("reference", content.reference());
        data.put("state", content.state());
        data.put("explain", LocalizedText.in(content.explain(), text));
        data.put("acknowledgement", acknowledgement);
        data.put("question", LocalizedText.in(content.question(), text));
        String goodwill = LocalizedText.in(content.goodwill(), text);
        data.put("goodwill", goodwill);
        data.put("goodwillCode", goodwill == null ? null : recipient.goodwillCode());
        String token = encode(recipient.token() == null ? "preview" : recipient.token());
        String base = config.publicBaseUrl();
        List<Map<String, Object>> options = new ArrayList<>();
        List<Map<String, Object>> links = new ArrayList<>();
        int number = 1;
        for (MessageOption option : content.options()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("number", number++);
            o.put("code", option.code());
            o.put("label", firstNonNull(option.labelIn(text), option.code()));
            o.put("detail", option.detailIn(text));
            String url = base + "/self-service/answer?token=" + token + "&option=" + encode(option.code());
            o.put("url", url);
            options.add(o);
            links.add(o);
        }
        data.put("options", options);
        data.put("optionLinks", recipient.channel() == Channel.EMAIL ? links : List.of());
        data.put("link", null);
        data.put("lasted", content.lasted() == null ? null : lasted(content.lasted(), language.template()));
        data.put("nextUpdate", content.nextUpdateBy() == null ? null
                : formatTime(content.nextUpdateBy(), recipient.zone(), Locale.forLanguageTag(language.template())));
        data.put("preferencesUrl", base + "/self-service?token=" + token);
        data.put("incidentUrl", content.publicPage() ? base + "/incidents/" + encode(content.reference()) : null);
        data.put("logoUrl", config.logoUrl().orElse(null));
        data.put("accentColor", config.accentColor());
        data.put("accentText", textOn(config.accentColor()));
        return data;
    }

    /** White or near-black, whichever reads better on the accent colour (WCAG relative luminance). */
    public static String textOn(String hexColour) {
        double luminance = 0;
        double[] weights = { 0.2126, 0.7152, 0.0722 };
        for (int i = 0; i < 3; i++) {
            double c = Integer.parseInt(hexColour.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
            luminance += weights[i] * (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
        }
        double onWhite = 1.05 / (luminance + 0.05);
        double onBlack = (luminance + 0.05) / 0.05;
        return onWhite >= onBlack ? "#ffffff" : "#0f172a";
    }

    /**
     * The acknowledgement: ops' own wording in this language if they gave one, else the kind's
     * next phrasing (the incident's earlier messages of this kind used the ones before it).
     */
    private static TemplateSet.Acknowledgement acknowledgement(TemplateSet set, Content content, MessageLanguage language) {
        String own = LocalizedText.in(content.acknowledge(), language.text());
        if (own != null) {
            return new TemplateSet.Acknowledgement(own, own);
        }
        List<TemplateSet.Acknowledgement> phrasings = set.acknowledgements(language.template(), content.kind());
        return phrasings.isEmpty() ? new TemplateSet.Acknowledgement("", "")
                : phrasings.get(Math.floorMod(content.acknowledgementIndex(), phrasings.size()));
    }

    /** "2 h 15 min", "40 min", "3 d 4 h": readable in the packaged languages alike (days: T in German, j in French). */
    static String lasted(Duration duration, String locale) {
        long minutes = Math.max(1, (duration.toSeconds() + 59) / 60);
        long hours = minutes / 60;
        if (hours >= 48) {
            String day = switch (MessageLanguage.language(locale)) {
                case "de" -> "T";
                case "fr" -> "j";
                default -> "d";
            };
            return (hours / 24) + " " + day + " " + (hours % 24) + " h";
        }
        return hours == 0 ? minutes + " min" : minutes % 60 == 0 ? hours + " h" : hours + " h " + (minutes % 60) + " min";
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

    static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
