package io.incidentcomms.message;

import static io.incidentcomms.support.Contents.english;
import static io.incidentcomms.support.Contents.invoiceOrRefund;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.incidentcomms.incident.MessageKind;
import io.incidentcomms.incident.MessageOption;
import io.incidentcomms.message.MessageRenderer.Channel;
import io.incidentcomms.message.MessageRenderer.Content;
import io.incidentcomms.message.MessageRenderer.Recipient;
import io.incidentcomms.message.MessageRenderer.Rendered;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

@QuarkusTest
class MessageRenderingTest {

    static final Instant PROMISE = Instant.parse("2026-07-15T12:30:00Z");

    @Inject
    MessageTemplates templates;
    @Inject
    MessageRenderer renderer;
    @Inject
    TemplateLint lint;
    @Inject
    MessageConfig config;

    static Content content(MessageKind kind, String title, String explain) {
        return english(kind, title, explain, invoiceOrRefund(), PROMISE);
    }

    static Recipient recipient(String locale, String zone, Channel channel) {
        return new Recipient(locale, ZoneId.of(zone), channel, true, "token-123");
    }

    @Test
    void theShippedTemplatesPassLintInEveryLocale() {
        assertEquals(List.of(), lint.check(templates.current()));
        assertEquals(List.of("en", "de", "fr"), config.locales());
    }

    @Test
    void removingTheAcknowledgeSectionMakesLintFailNamingTheFileAndPart() {
        Map<String, String> files = new HashMap<>(templates.current().files());
        String withoutAcknowledge = Arrays.stream(files.get("de/update.txt").split("\n"))
                .filter(line -> !line.contains("id=acknowledge")).reduce("", (a, b) -> a + b + "\n");
        files.put("de/update.txt", withoutAcknowledge);

        List<String> problems = lint.check(TemplateSet.of(files));

        assertTrue(problems.contains("de/update.txt: missing section 'acknowledge'"), problems.toString());
    }

    @Test
    void aKindWithFewerThanFiveAcknowledgementsFailsLint() {
        Map<String, String> files = new HashMap<>(templates.current().files());
        String ack = files.get("fr/acknowledgements.txt");
        int start = ack.indexOf("[resolved]");
        int end = ack.indexOf("[follow_up]");
        files.put("fr/acknowledgements.txt", ack.substring(0, start) + "[resolved]\nMerci. | Merci.\n\n" + ack.substring(end));

        assertTrue(lint.check(TemplateSet.of(files)).stream()
                .anyMatch(p -> p.startsWith("fr/acknowledgements.txt: [resolved] needs at least 5")), "lint names the kind");
    }

    @Test
    void eachPartsMarkerStandsInItsOwnSectionAndNowhereElse() {
        Content markers = new Content(MessageKind.UPDATE, "INC-1", Map.of("en", "Title"), Map.of("en", "MARKEREXPLAIN"),
                Map.of(), "en", Map.of("en", "MARKERACK"), List.of(new MessageOption("7", Map.of("en", "MARKEROPTION"), null,
                        false)), Map.of("en", "MARKERCONFIRM"), PROMISE, 0, null, null, true);
        for (Channel channel : Channel.values()) {
            Rendered rendered = renderer.render(templates.current(), markers, recipient("en", "UTC", channel));
            Map<String, String> sections = Map.of("MARKEREXPLAIN", rendered.parts().explain(), "MARKERACK",
                    rendered.parts().acknowledge(), "MARKERCONFIRM", rendered.parts().confirm());
            sections.forEach((marker, ownSection) -> {
                assertTrue(ownSection.contains(marker), marker + " in its section: " + ownSection);
                sections.forEach((otherMarker, otherSection) -> {
                    if (!otherMarker.equals(marker)) {
                        assertFalse(otherSection.contains(marker), marker + " must not stand in " + otherSection);
                    }
                });
                String whole = channel == Channel.SMS ? rendered.sms() : rendered.text();
                assertEquals(whole.indexOf(marker), whole.lastIndexOf(marker), marker + " once in " + whole);
            });
            String whole = channel == Channel.SMS ? rendered.sms() : rendered.text();
            assertTrue(whole.contains("MARKEROPTION"), "the option's label is in the " + channel + ": " + whole);
        }
    }

    @Test
    void anOverLongSmsFallsBackToTheShortFormWithinTheLimitAndLinksTheFullMessage() {
        Rendered rendered = renderer.render(templates.current(),
                content(MessageKind.UPDATE, "Checkout down", "Card payments fail. ".repeat(30)),
                recipient("en", "UTC", Channel.SMS));
        assertTrue(rendered.smsShortForm());
        assertTrue(rendered.smsSegments() <= config.smsMaxSegments(), rendered.sms());
        assertTrue(rendered.sms().startsWith(config.brand() + ":"), rendered.sms());
        assertTrue(rendered.sms().contains("1 = Pay by invoice") && rendered.sms().contains("REFUND = Ask for a"),
                rendered.sms());
        assertTrue(rendered.sms().contains("localhost:8080/m/" + MessageRenderer.PREVIEW_SHORT_ID), rendered.sms());
        assertTrue(rendered.sms().endsWith("Reply STOP to opt out"), rendered.sms());
    }

    @Test
    void aTitleTooLongEvenForTheShortFormLosesWholeWordsOnly() {
        String title = "Unplanned outage of the central order management platform affecting ".repeat(8).trim();
        Rendered rendered = renderer.render(templates.current(), content(MessageKind.DECLARED, title, title),
                recipient("en", "UTC", Channel.SMS));
        assertTrue(rendered.smsSegments() <= config.smsMaxSegments(), rendered.sms());
        String kept = rendered.sms().substring(rendered.sms().indexOf(':') + 2, rendered.sms().indexOf("..."));
        assertTrue(title.startsWith(kept), kept);
        assertTrue(title.charAt(kept.length()) == ' ', "cut at a word boundary: " + kept);
    }

    @Test
    void theNextUpdateTimeIsInTheRecipientsZoneAndLocale() {
        Content update = new Content(MessageKind.UPDATE, "INC-1", Map.of("en", "Checkout down", "de", "Kasse gestört"),
                Map.of("en", "Card payments fail.", "de", "Kartenzahlungen scheitern."), Map.of(), "en", null, List.of(),
                null, PROMISE, 0, null, null, true);
        Rendered german = renderer.render(templates.current(), update, recipient("de", "Europe/Berlin", Channel.EMAIL));
        assertTrue(german.parts().confirm().contains("14:30"), german.parts().confirm());
        Content later = english(MessageKind.UPDATE, "Checkout down", "Card payments fail.", List.of(),
                Instant.parse("2026-07-15T17:30:00Z"));
        Rendered american = renderer.render(templates.current(), later, recipient("en-US", "America/New_York", Channel.SMS));
        assertTrue(american.parts().confirm().replace('\u202F', ' ').contains("1:30 PM"), american.parts().confirm());
        assertTrue(american.sms().contains("1:30 PM"), american.sms());
    }

    @Test
    void aScriptInTheTitleIsEscapedInHtmlAndLeftPlainInSms() {
        String title = "<script>alert(1)</script> checkout";
        Content content = content(MessageKind.DECLARED, title, title + " fails for <b>card</b> payments");
        Rendered email = renderer.render(templates.current(), content, recipient("en", "UTC", Channel.EMAIL));
        assertFalse(email.html().contains("<script>"), email.html());
        assertTrue(email.html().contains("&lt;script&gt;alert(1)&lt;/script&gt; checkout"), email.html());
        assertTrue(email.html().contains("&lt;b&gt;card&lt;/b&gt;"), email.html());
        assertTrue(email.subject().contains(title), "the subject is plain text: " + email.subject());
        Rendered sms = renderer.render(templates.current(), content, recipient("en", "UTC", Channel.SMS));
        assertTrue(sms.sms().contains(title), sms.sms());
    }

    @Test
    void emailsCarryOneSignedLinkPerOptionAndSmsAsksForTheCodeOnly() {
        Content content = content(MessageKind.UPDATE, "Checkout down", "Card payments fail.");
        Rendered email = renderer.render(templates.current(), content, recipient("en", "UTC", Channel.EMAIL));
        assertTrue(email.html().contains("/self-service/answer?token=token-123&amp;option=1"), email.html());
        assertTrue(email.html().contains("/self-service/answer?token=token-123&amp;option=REFUND"), email.html());
        Rendered sms = renderer.render(templates.current(), content, recipient("en", "UTC", Channel.SMS));
        assertTrue(sms.sms().contains("1 = Pay by invoice, REFUND = Ask for a refund"), sms.sms());
        assertTrue(sms.sms().contains("Reply 1 or REFUND."), sms.sms());
    }

    @Test
    void onlyTheFirstSmsAboutAnIncidentEndsWithHowToOptOut() {
        Content content = new Content(MessageKind.UPDATE, "INC-1", Map.of("de", "Kasse gestört"),
                Map.of("de", "Kartenzahlungen scheitern."), Map.of(), "de", null, List.of(), null, PROMISE, 0, null, null,
                true);
        Recipient later = new Recipient("de", ZoneId.of("Europe/Berlin"), Channel.SMS, false, null);
        assertFalse(renderer.render(templates.current(), content, later).sms().contains("STOP"));
        assertTrue(renderer.render(templates.current(), content, recipient("de", "Europe/Berlin", Channel.SMS)).sms()
                .endsWith("STOP zum Abmelden"));
        assertTrue(renderer.help(templates.current(), "en").startsWith(config.brand() + ":"));
    }

    @Test
    void aRecipientWhoseLanguageOpsDidNotWriteGetsTheWholeMessageInTheDefaultLocale() {
        Content content = new Content(MessageKind.UPDATE, "INC-1", Map.of("en", "Checkout down"),
                Map.of("en", "In English"), Map.of(), "en", null, List.of(), null, PROMISE, 0, null, null, true);
        Rendered french = renderer.render(templates.current(), content, recipient("fr", "UTC", Channel.EMAIL));
        assertEquals("en", french.locale());
        assertTrue(french.fallback());
        assertEquals(List.of("explain"), french.missingTexts());
        assertTrue(french.text().contains("Reference: INC-1"), "the template parts are English too: " + french.text());
    }
}
