package io.incidentcomms.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.incidentcomms.incident.MessageKind;
import io.incidentcomms.incident.MessageOption;
import io.incidentcomms.message.MessageRenderer.Channel;
import io.incidentcomms.message.MessageRenderer.Content;
import io.incidentcomms.message.MessageRenderer.Recipient;
import io.incidentcomms.message.MessageRenderer.Rendered;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Every message the shipped templates can make, checked as a whole: kind × recipient locale ×
 * channel × {0, 1, 3 options} × {a short, a 500-character, a non-GSM explanation} × {ops text in
 * the recipient's language or not} × {option labels in it or not}. Each rendering has its four
 * parts (or the short form with its link), every open option code, the next update time where the
 * kind promises one, one language only, fits the SMS limit, has no template syntax left, and never
 * mentions links or buttons, or asks for a reply, when it offers none.
 */
@QuarkusTest
class RenderingMatrixTest {

    static final List<String> LOCALES = List.of("en", "de", "fr");
    static final Set<MessageKind> PROMISING = Set.of(MessageKind.DECLARED, MessageKind.UPDATE, MessageKind.HOLDING,
            MessageKind.MAINTENANCE_NOTICE);

    static final Map<String, String> TITLES = Map.of("en", "Checkout payments failing", "de",
            "Zahlungsstörung an der Kasse", "fr", "Panne des paiements en caisse");
    static final Map<String, String> SHORT = Map.of("en", "Card payments fail at checkout.", "de",
            "Kartenzahlungen scheitern an der Kasse.", "fr", "Les paiements par carte échouent à la caisse.");
    static final Map<String, String> SENTENCE = Map.of(
            "en", "Card payments fail at checkout for customers in western Europe because a payment gateway link is broken.",
            "de", "Kartenzahlungen scheitern an der Kasse für Kundschaft in Westeuropa, weil eine Verbindung gestört ist.",
            "fr", "Les paiements par carte échouent à la caisse pour la clientèle européenne, car une liaison est coupée.");
    static final Map<String, String> NON_GSM = Map.of("en", "Card payments fail 💳 — orders by invoice still work ✅.",
            "de", "Kartenzahlungen scheitern 💳 – Kauf auf Rechnung geht ✅.", "fr",
            "Les paiements par carte échouent 💳 — la facture fonctionne toujours ✅.");
    static final Map<String, List<String>> LABELS = Map.of(
            "en", List.of("Pay by invoice", "Pick up at another store", "Ask for a refund"),
            "de", List.of("Auf Rechnung zahlen", "In einer anderen Filiale abholen", "Erstattung verlangen"),
            "fr", List.of("Payer sur facture", "Retirer dans un autre magasin", "Demander un remboursement"));
    static final List<String> CODES = List.of("1", "2", "REFUND");
    /** Words that mention links or buttons, or ask for a reply, per locale: only where something can be chosen. */
    static final Map<String, List<String>> CHOOSING_WORDS = Map.of(
            "en", List.of("link", "button", "above", "below", "reply"),
            "de", List.of("link", "schaltfläche", "oben", "unten", "antworten sie"),
            "fr", List.of("lien", "bouton", "ci-dessus", "ci-dessous", "répondez"));

    @Inject
    MessageTemplates templates;
    @Inject
    MessageRenderer renderer;
    @Inject
    MessageConfig config;
    @Inject
    Clock clock;

    @Test
    void everyRenderingIsWholeInOneLanguageAndWithinTheLimits() {
        TemplateSet set = templates.current();
        Map<String, Set<String>> ownWords = wordsOnlyIn(set);
        Instant promise = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)).plus(Duration.ofMinutes(750));
        int checked = 0;
        int shortForms = 0;
        int shortened = 0;
        List<String> failures = new ArrayList<>();
        for (MessageKind kind : MessageKind.values()) {
            for (String recipientLocale : LOCALES) {
                for (Channel channel : Channel.values()) {
                    for (int optionCount : List.of(0, 1, 3)) {
                        for (String explanation : List.of("short", "500", "non-GSM")) {
                            for (boolean opsInLocale : List.of(true, false)) {
                                for (boolean labelsInLocale : List.of(true, false)) {
                                    if (optionCount == 0 && !labelsInLocale) {
                                        continue;
                                    }
                                    Content content = content(kind, recipientLocale, optionCount, explanation,
                                            opsInLocale, labelsInLocale, promise);
                                    Rendered rendered = renderer.render(set, content, new Recipient(recipientLocale,
                                            ZoneOffset.UTC, channel, true, "token-1", "Ab3dE5gH", null));
                                    String expected = opsInLocale && (optionCount == 0 || labelsInLocale) ? recipientLocale
                                            : "en";
                                    String name = kind.wire() + "/" + recipientLocale + "/" + channel + "/" + optionCount
                                            + " options/" + explanation + "/ops " + (opsInLocale ? "in" : "not in")
                                            + " locale/labels " + (labelsInLocale ? "in" : "not in") + " locale";
                                    check(name, rendered, content, expected, channel, kind, ownWords, failures);
                                    checked++;
                                    if (rendered.smsShortForm()) {
                                        shortForms++;
                                    } else if (rendered.smsForm() == SmsFitting.Form.SHORTENED) {
                                        shortened++;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        System.out.printf("%nRendering matrix: %d renderings checked, %d SMS shortened part by part, %d in the short form,"
                + " %d failures%n", checked, shortened, shortForms, failures.size());
        failures.stream().limit(20).forEach(f -> System.out.println("  " + f));
        assertEquals(List.of(), failures.stream().limit(20).toList(), failures.size() + " renderings fail");
        assertEquals(9 * 3 * 2 * (1 + 2 + 2) * 3 * 2, checked);
    }

    @Test
    void noRecipientReadsTheSameAcknowledgementTwiceInAnIncident() {
        TemplateSet set = templates.current();
        for (String locale : LOCALES) {
            Set<String> acrossKinds = new HashSet<>();
            for (MessageKind kind : MessageKind.values()) {
                int available = set.acknowledgements(locale, kind).size();
                assertTrue(available >= 5, locale + " " + kind + " has " + available + " acknowledgements");
                Set<String> read = new HashSet<>();
                for (int earlier = 0; earlier < available; earlier++) {
                    Content content = new Content(kind, "INC-1", Map.of(locale, TITLES.get(locale)),
                            Map.of(locale, SHORT.get(locale)), Map.of(), locale, null, List.of(), null, null, earlier, null,
                            null, true);
                    String acknowledgement = renderer.render(set, content,
                            new Recipient(locale, ZoneOffset.UTC, Channel.EMAIL, false, null)).parts().acknowledge();
                    assertTrue(read.add(acknowledgement), locale + " " + kind + " message " + (earlier + 1) + " repeats \""
                            + acknowledgement + "\"");
                    assertTrue(acrossKinds.add(acknowledgement), "\"" + acknowledgement + "\" is used by two kinds");
                }
            }
        }
    }

    private void check(String name, Rendered rendered, Content content, String expectedLocale, Channel channel,
            MessageKind kind, Map<String, Set<String>> ownWords, List<String> failures) {
        String body = channel == Channel.SMS ? rendered.sms() : rendered.subject() + "\n" + rendered.text();
        List<String> problems = new ArrayList<>();
        if (!rendered.locale().equals(expectedLocale)) {
            problems.add("written in " + rendered.locale() + ", expected " + expectedLocale);
        }
        // links and option codes (REFUND) are no words of any language
        String prose = body.replaceAll("\\S*(https?://|/m/)\\S*", " ").replaceAll("\\b[A-Z0-9]{2,}\\b", " ");
        for (Map.Entry<String, Set<String>> other : ownWords.entrySet()) {
            if (!other.getKey().equals(rendered.locale())) {
                Set<String> foreign = new HashSet<>(words(prose));
                foreign.retainAll(other.getValue());
                if (!foreign.isEmpty()) {
                    problems.add("words of " + other.getKey() + " in a " + rendered.locale() + " message: " + foreign);
                }
            }
        }
        if (body.contains("{") || body.contains("}")) {
            problems.add("template syntax left");
        }
        if (channel == Channel.SMS) {
            if (rendered.smsSegments() > config.smsMaxSegments()) {
                problems.add(rendered.smsSegments() + " segments");
            }
            if (rendered.smsForm() != SmsFitting.Form.FULL && !body.contains("/m/Ab3dE5gH")) {
                problems.add("shortened without the link to the full message");
            }
        }
        if (!rendered.smsShortForm()) {
            MessageRenderer.Parts parts = rendered.parts();
            for (String part : List.of(parts.explain(), parts.acknowledge(), parts.options(), parts.confirm())) {
                String asSent = channel == Channel.SMS ? SmsText.normalize(part) : part;
                if (part.isBlank() || !body.contains(asSent)) {
                    problems.add("a part is missing: \"" + part + "\"");
                }
            }
            if (!content.options().isEmpty() && !parts.confirm().contains("?")) {
                problems.add("the confirm part asks no question: " + parts.confirm());
            }
        }
        for (MessageOption option : content.options()) {
            boolean named = channel == Channel.SMS ? body.contains(option.code())
                    : rendered.text().contains("option=" + option.code()) && rendered.html().contains("option=" + option.code());
            if (!named) {
                problems.add("option " + option.code() + " is missing");
            }
        }
        if (PROMISING.contains(kind) && !body.contains("12:30")) {
            problems.add("the next update time (12:30) is missing");
        }
        if (content.options().isEmpty()) {
            String parts = rendered.smsShortForm() ? body.replace(stopFooter(rendered), "")
                    : String.join(" ", rendered.parts().options(), rendered.parts().confirm());
            for (String word : CHOOSING_WORDS.get(rendered.locale())) {
                if (Pattern.compile("(?iu)(^|[^\\p{L}])" + Pattern.quote(word) + "s?($|[^\\p{L}])").matcher(parts).find()) {
                    problems.add("says \"" + word + "\" with nothing to choose: " + parts);
                }
            }
        }
        if (!problems.isEmpty()) {
            failures.add(name + ": " + problems + "\n      " + body.replace("\n", "\n      "));
        }
    }

    private String stopFooter(Rendered rendered) {
        return templates.current().template(rendered.locale() + "/" + TemplateSet.LAYOUT_TEXT).getFragment("stop_footer")
                .render().strip();
    }

    static Content content(MessageKind kind, String locale, int optionCount, String explanation, boolean opsInLocale,
            boolean labelsInLocale, Instant promise) {
        Map<String, String> explain = new LinkedHashMap<>();
        Map<String, String> title = new LinkedHashMap<>();
        for (String l : opsInLocale ? List.of("en", locale) : List.of("en")) {
            explain.put(l, switch (explanation) {
                case "short" -> SHORT.get(l);
                case "500" -> (SENTENCE.get(l) + " ").repeat(5).substring(0, 500).strip();
                default -> NON_GSM.get(l);
            });
            title.put(l, TITLES.get(l));
        }
        List<MessageOption> options = new ArrayList<>();
        for (int i = 0; i < optionCount; i++) {
            Map<String, String> label = new HashMap<>(Map.of("en", LABELS.get("en").get(i)));
            if (labelsInLocale) {
                label.put(locale, LABELS.get(locale).get(i));
            }
            options.add(new MessageOption(CODES.get(optionCount == 1 ? 0 : i), label, null, false));
        }
        return new Content(kind, "INC-2026-0042", title, explain, Map.of(), "en", null, options, null,
                PROMISING.contains(kind) ? promise : null, 0, Duration.ofMinutes(95), null, true);
    }

    /** Per locale, the words its templates and sample texts use that no other locale's do. */
    static Map<String, Set<String>> wordsOnlyIn(TemplateSet set) {
        Map<String, Set<String>> words = new LinkedHashMap<>();
        for (String locale : LOCALES) {
            Set<String> own = new HashSet<>();
            set.files().forEach((path, text) -> {
                if (path.startsWith(locale + "/")) {
                    own.addAll(words(text.replaceAll("(?s)\\{!.*?!\\}", " ").replaceAll("\\{[^}]*\\}", " ")
                            .replaceAll("<[^>]*>", " ").replaceAll("(?m)^#.*$", " ")));
                }
            });
            for (Map<String, String> sample : List.of(TITLES, SHORT, SENTENCE, NON_GSM)) {
                own.addAll(words(sample.get(locale)));
            }
            LABELS.get(locale).forEach(l -> own.addAll(words(l)));
            words.put(locale, own);
        }
        Map<String, Set<String>> exclusive = new LinkedHashMap<>();
        for (String locale : LOCALES) {
            Set<String> only = new HashSet<>(words.get(locale));
            words.forEach((other, otherWords) -> {
                if (!other.equals(locale)) {
                    only.removeAll(otherWords);
                }
            });
            exclusive.put(locale, only);
        }
        return exclusive;
    }

    private static final Pattern WORD = Pattern.compile("\\p{L}{4,}");

    static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }
}
