package io.incidentcomms.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.incidentcomms.audit.Actor;
import io.incidentcomms.console.signin.ConsoleRole;
import io.incidentcomms.console.signin.ConsoleUsers;
import io.incidentcomms.support.ConsoleSession;
import io.incidentcomms.support.RawHttp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * A subscriber file imported from the console: larger than an API body, answered at once with a
 * page that follows the import in the background (how much of the file is read, rows so far), then
 * its report; the upload has its own limit, checked before the file is read.
 */
@QuarkusTest
class ConsoleImportTest {

    private static final Pattern PERCENT = Pattern.compile("Importing: (\\d+)% of the file read, (\\d+) row");

    @Inject
    ConsoleUsers users;
    @Inject
    EntityManager em;

    @TestHTTPResource("/")
    URL base;

    final String run = UUID.randomUUID().toString().substring(0, 8);

    ConsoleSession ops() {
        String name = "importer-" + run;
        users.create(name, ConsoleRole.OPS, "password-of-" + name, Actor.SYSTEM);
        return ConsoleSession.signIn(name, "password-of-" + name, "10.7.1." + (run.hashCode() & 0x7f));
    }

    @Test
    void aFileFarLargerThanAnApiBodyIsImportedInTheBackgroundWhileItsPageShowsHowFarItGot() throws Exception {
        int rows = 40_000;
        StringBuilder csv = new StringBuilder("externalRef,email,subscriptions\n");
        for (int i = 0; i < rows; i++) {
            csv.append(run).append("-bulk-").append(i).append(",bulk-").append(i).append('-').append(run)
                    .append("@example.com,component:import-").append(run).append('\n');
        }
        csv.append(",not-an-address,\n");
        byte[] file = csv.toString().getBytes(StandardCharsets.UTF_8);
        assertTrue(file.length > 4 * 256 * 1024, "the file is well over the API's 256 KiB: " + file.length);
        ConsoleSession ops = ops();

        Response started = ops.request().contentType("multipart/form-data; boundary=" + BOUNDARY)
                .body(multipart(ops.csrf(), "bulk.csv", file)).post("/console/subscribers/import");

        assertEquals(303, started.statusCode(), started.asString());
        String page = started.header("Location");
        assertTrue(page.contains("/console/subscribers/import?id="), page);
        List<Integer> percents = new ArrayList<>();
        String shown = "";
        for (int i = 0; i < 600 && !shown.contains("id=\"import-report\""); i++) {
            shown = ops.request().get(page).then().statusCode(200).extract().asString();
            Matcher running = PERCENT.matcher(shown);
            if (running.find()) {
                percents.add(Integer.parseInt(running.group(1)));
                assertTrue(shown.contains("hx-trigger=\"every 1s\""), "a running import's page refreshes itself");
            }
            Thread.sleep(100);
        }
        assertTrue(shown.contains((rows + 1) + " row(s): " + rows + " imported, 1 rejected"), shown);
        assertTrue(shown.contains("Row " + (rows + 2)), "the bad row is named by its line: " + shown);
        assertTrue(!percents.isEmpty() && percents.get(0) < 100, "the page showed the import under way: " + percents);
        assertTrue(isSorted(percents), "progress only moves forward: " + percents);
        assertEquals(rows, ((Number) em.createNativeQuery(
                "select count(*) from subscriber where external_ref like ?1").setParameter(1, run + "-bulk-%")
                .getSingleResult()).intValue());
    }

    @Test
    void anUploadOverItsLimitIsRefusedBeforeItIsRead() throws IOException {
        ConsoleSession ops = ops();
        // the body announced is never sent: a server that waited for it would time out instead of answering
        String status = RawHttp.statusLine(base, "POST /console/subscribers/import HTTP/1.1\r\nHost: x\r\n"
                + "Cookie: console_session=" + ops.cookie() + "\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                + "Content-Length: " + (17L << 20) + "\r\n\r\n");
        assertTrue(status.startsWith("HTTP/1.1 413"), status);
    }

    @Test
    void anImportThatDoesNotExistIsANotFoundPage() {
        Response answer = ops().request().get("/console/subscribers/import?id=" + UUID.randomUUID());
        assertEquals(404, answer.statusCode());
        assertTrue(answer.asString().contains("There is no import with this id"), answer.asString());
    }

    private static final String BOUNDARY = "console-import-boundary";

    /** The form as a browser sends it: one body with its length (REST Assured would send it chunked). */
    private static byte[] multipart(String csrf, String fileName, byte[] file) throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf + "\r\n"
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static boolean isSorted(List<Integer> values) {
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i) < values.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

}
