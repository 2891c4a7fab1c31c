package io.incidentcomms.message;

import static io.incidentcomms.support.Api.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

@QuarkusTest
class MessageTemplatesFolderTest {

    @Inject
    MessageTemplates templates;
    @Inject
    MessageConfig config;

    Path folder() {
        return Path.of(config.templatesDir().orElseThrow());
    }

    @AfterEach
    void backToThePackagedSet() throws IOException {
        if (Files.exists(folder())) {
            try (Stream<Path> paths = Files.walk(folder())) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        templates.reload();
    }

    void writeFolder(Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = folder().resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
    }

    static String preview(String key, Integer seq) {
        return asAdmin().body(seq == null ? "{\"locale\": \"en\"}" : "{\"locale\": \"en\", \"seq\": " + seq + "}")
                .post("/api/incidents/" + key + "/preview").then().statusCode(200).extract().path("subject");
    }

    @Test
    void aReplacedTemplateFileChangesTheNextMessageWithoutARestartWhilePublishedUpdatesKeepTheirVersion()
            throws IOException {
        String key = asAdmin().body(Api.declaration("Folder " + UUID.randomUUID(), "major", "component:folder"))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        asAdmin().body("{\"explain\": {\"en\": \"Still failing until 15:00.\"}}").post("/api/incidents/" + key + "/updates")
                .then().statusCode(201);
        String before = preview(key, 2);
        String oldVersion = templates.current().version();

        writeFolder(templates.current().files());
        String update = templates.current().files().get("en/update.txt");
        writeFolder(Map.of("en/update.txt", update.replaceFirst("\\{#fragment id=subject\\}.*?\\{/fragment\\}",
                "{#fragment id=subject}NEWS: {title}{/fragment}")));
        await().atMost(Duration.ofSeconds(10)).until(() -> !templates.current().version().equals(oldVersion));

        assertEquals(before, preview(key, 2), "a published update keeps the template version it was published with");
        asAdmin().body("{\"explain\": {\"en\": \"Fixed within the hour.\"}}").post("/api/incidents/" + key + "/updates")
                .then().statusCode(201).body("templateVersion", is(templates.current().version()));
        String after = preview(key, 3);
        assertEquals("NEWS: " + after.substring("NEWS: ".length()), after);
        assertNotEquals(before.substring(0, 7), after.substring(0, 7));
    }

    @Test
    void aBrokenFolderIsRefusedAndThePreviousSetStays() throws IOException {
        String version = templates.current().version();
        writeFolder(templates.current().files());
        String declared = templates.current().files().get("en/declared.txt");
        writeFolder(Map.of("en/declared.txt", declared.replace("{#fragment id=confirm}", "{#fragment id=confirmation}")));

        asAdmin().post("/api/templates/reload").then().statusCode(422).contentType("application/problem+json")
                .body("errors.message", hasItem("en/declared.txt: missing section 'confirm'"));
        asAdmin().post("/api/templates/lint").then().statusCode(200)
                .body("problems", hasItem("en/declared.txt: missing section 'confirm'"));
        assertEquals(version, templates.current().version());
    }

    @Test
    void threeConsecutiveUpdatesUseThreeDifferentAcknowledgements() {
        String key = asAdmin().body(Api.declaration("Rotation " + UUID.randomUUID(), "minor", "component:rotation"))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        for (int i = 0; i < 2; i++) {
            asAdmin().body("{\"explain\": {\"en\": \"Update " + i + " by 16:00\"}}").post("/api/incidents/" + key + "/updates")
                    .then().statusCode(201);
        }
        Set<String> acknowledgements = new HashSet<>();
        for (int seq = 1; seq <= 3; seq++) {
            acknowledgements.add(asAdmin().body("{\"locale\": \"en\", \"seq\": " + seq + ", \"channel\": \"sms\"}")
                    .post("/api/incidents/" + key + "/preview").then().statusCode(200)
                    .extract().path("parts.acknowledge"));
        }
        assertEquals(3, acknowledgements.size(), acknowledgements.toString());
    }

    @Test
    void opsTextIsReviewedForBlameAMissingTimeFrameAndHowItsRealSmsComesOut() {
        String key = asAdmin().body(Api.declaration("Warnings " + UUID.randomUUID(), "minor", "component:warn"))
                .post("/api/incidents").then().statusCode(201).extract().path("key");
        asAdmin().body("{\"explain\": {\"en\": \"It is the vendor's fault. " + "Details follow. ".repeat(30) + "\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201)
                .body("warnings", hasItem(containsString("blames someone (\"vendor's fault\")")))
                .body("warnings", hasItem(containsString("no time frame")))
                .body("review.renderings.find { it.channel == 'sms' && it.locale == 'en' }.form", is("short-form"))
                .body("review.renderings.find { it.channel == 'email' && it.locale == 'en' }.form", is("full"));
        asAdmin().body("{\"explain\": {\"en\": \"We expect a fix by 15:00.\"}}")
                .post("/api/incidents/" + key + "/updates").then().statusCode(201)
                .body("warnings", anyOf(nullValue(), not(hasItem(containsString("blames")))))
                .body("review.renderings.find { it.channel == 'sms' && it.locale == 'en' }.form", is("full"))
                .body("templateVersion", notNullValue());
    }
}
