package io.incidentcomms.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import io.incidentcomms.incident.MessageKind;
import io.incidentcomms.message.MessageRenderer.Channel;
import io.incidentcomms.message.MessageRenderer.Recipient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

@QuarkusTest
class MailHtmlTest {

    @Inject
    MessageTemplates templates;
    @Inject
    MessageRenderer renderer;

    @Test
    void shippedEmailHtmlIsAsciiInAFewLinesSoTheMailClientNeitherEncodesNorWritesItLineByLine() {
        for (String locale : new String[] { "en", "de", "fr" }) {
            String html = renderer.render(templates.current(),
                    MessageRenderingTest.content(MessageKind.DECLARED, "Kasse gestört", "Kartenzahlungen schlagen fehl · bitte warten."),
                    new Recipient(locale, ZoneId.of("Europe/Berlin"), Channel.EMAIL, false, "token-123")).html();

            assertTrue(html.chars().allMatch(c -> c < 128), html);
            assertTrue(html.contains("Kasse gest&#246;rt") && html.contains("fehl &#183; bitte"), html);
            assertTrue(html.lines().allMatch(line -> line.length() <= MailHtml.MAX_LINE), html);
            assertTrue(html.lines().count() <= html.length() / MailHtml.MAX_LINE + 2, locale + ": " + html.lines().count() + " lines\n" + html);
        }
    }

    @Test
    void linesAreJoinedWithASpaceAndNonAsciiBecomesCharacterReferences() {
        assertEquals("<p>Caf&#233; </p> <p>&#128512; ok</p>\n",
                MailHtml.compact("<p>Café\n  </p>\n\n   <p>😀 ok</p>"));
    }

    @Test
    void longContentIsCutIntoLinesWithinTheLimit() {
        String paragraph = "<p>" + "word ".repeat(30) + "</p>\n";
        String compacted = MailHtml.compact(paragraph.repeat(40));

        assertTrue(compacted.lines().allMatch(line -> line.length() <= MailHtml.MAX_LINE), compacted);
        assertEquals(paragraph.repeat(40).replaceAll("\\s+", " ").strip(), compacted.replaceAll("\\s+", " ").strip());
    }

    @Test
    void aDocumentWhoseLineBreaksMatterKeepsThem() {
        String html = "<pre>line one\nline two</pre>\n<p>Grüße</p>";

        assertEquals("<pre>line one\nline two</pre>\n<p>Gr&#252;&#223;e</p>", MailHtml.compact(html));
    }
}
