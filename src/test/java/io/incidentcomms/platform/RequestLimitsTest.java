package io.incidentcomms.platform;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.incidentcomms.support.RawHttp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * No request can make the service hold an unbounded body: any Transfer-Encoding counts as a body
 * of unknown length, and a webhook for a source that does not exist is refused before its body is
 * read. Spoken as raw HTTP, since clients tidy up exactly the headers that matter here.
 */
@QuarkusTest
class RequestLimitsTest {

    @TestHTTPResource("/")
    URL base;


    @Test
    void everyTransferEncodingIsABodyOfUnknownLengthAndRefused() throws IOException {
        for (String encoding : List.of("Transfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip, chunked\r\n",
                "Transfer-Encoding: chunked, chunked\r\n", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                "Transfer-Encoding: CHUNKED\r\nContent-Length: 5\r\n")) {
            String status = RawHttp.statusLine(base, "POST /api/hooks/monitoring HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + encoding + "\r\n5\r\nhello\r\n0\r\n\r\n");
            assertTrue(status.startsWith("HTTP/1.1 411") || status.startsWith("HTTP/1.1 400"),
                    encoding.trim() + " answered " + status);
        }
    }

    @Test
    void aWebhookForASourceThatDoesNotExistIsRefusedWithoutReadingItsBody() throws IOException {
        // the body announced is never sent: a server that waited for it would time out instead of answering
        String status = RawHttp.statusLine(base, "POST /api/hooks/nobody HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 200000\r\n\r\n");
        assertTrue(status.startsWith("HTTP/1.1 404"), status);
        status = RawHttp.statusLine(base, "POST /api/hooks/prometheus HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer wrong\r\nContent-Length: 200000\r\n\r\n");
        assertTrue(status.startsWith("HTTP/1.1 401"), status);
    }

    @Test
    void aBodyOverTheApiLimitIsRefusedBeforeItIsRead() throws IOException {
        String status = RawHttp.statusLine(base, "POST /api/incidents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 300000\r\n\r\n");
        assertTrue(status.startsWith("HTTP/1.1 413"), status);
        status = RawHttp.statusLine(base, "POST /api/incidents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 5\r\nContent-Length: 7\r\n\r\nhello");
        assertTrue(status.startsWith("HTTP/1.1 400"), status);
    }
}
