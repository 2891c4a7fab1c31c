package io.incidentcomms.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.incidentcomms.support.TwilioStub;
import io.incidentcomms.support.TwilioStub.Answer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The real Twilio SDK against a local stub of Twilio's Messages API. */
@QuarkusTest
class SmsSenderTest {

    static TwilioStub twilio;

    @Inject
    SmsSender sender;

    @BeforeAll
    static void startStub() throws Exception {
        twilio = new TwilioStub(18099);
    }

    @AfterAll
    static void stopStub() {
        twilio.close();
    }

    @BeforeEach
    void reset() {
        twilio.reset();
    }

    static final URI CALLBACK = URI.create("https://status.example.com/api/twilio/status?notification=42");

    @Test
    void anSmsIsCreatedWithToFromBodyAndStatusCallback() {
        SendOutcome outcome = sender.send("+447400123456", "Status: Checkout is down.", CALLBACK);

        assertEquals(SendOutcome.Kind.SENT, outcome.kind(), outcome.error());
        assertTrue(outcome.providerId().startsWith("SM"));
        assertEquals(1, twilio.created().size());
        var form = twilio.requests().get(0).form();
        assertEquals("+447400123456", form.get("To"));
        assertEquals("+15005550006", form.get("From"));
        assertEquals("Status: Checkout is down.", form.get("Body"));
        assertEquals(CALLBACK.toString(), form.get("StatusCallback"));
    }

    @Test
    void twoServerErrorsThenSuccessMakeThreeRequestsAndOneMessage() {
        twilio.script(Answer.serverError(), Answer.serverError(), Answer.created());

        assertEquals(SendOutcome.Kind.UNCERTAIN, sender.send("+447400123456", "x", CALLBACK).kind());
        assertEquals(SendOutcome.Kind.UNCERTAIN, sender.send("+447400123456", "x", CALLBACK).kind());
        assertEquals(SendOutcome.Kind.SENT, sender.send("+447400123456", "x", CALLBACK).kind());

        assertEquals(3, twilio.requests().size(), "no hidden retries in the SDK or the HTTP client");
        assertEquals(1, twilio.created().size());
    }

    @Test
    void throttlingAndAFullQueueAreThrottledAndAskedOnlyOnce() {
        twilio.script(Answer.error(429, 20429), Answer.error(429, 21611));
        SendOutcome tooMany = sender.send("+447400123456", "x", CALLBACK);
        SendOutcome queueFull = sender.send("+447400123456", "x", CALLBACK);
        assertEquals(SendOutcome.Kind.THROTTLED, tooMany.kind());
        assertEquals(20429, tooMany.providerCode());
        assertEquals(SendOutcome.Kind.THROTTLED, queueFull.kind());
        assertEquals(21611, queueFull.providerCode());
        assertEquals(2, twilio.requests().size());
    }

    @Test
    void refusedCredentialsOrASenderThatCannotSendAreAccountFaultsNotTheRecipients() {
        twilio.script(Answer.error(401, 20003), Answer.error(400, 21606));
        SendOutcome authentication = sender.send("+447400123456", "x", CALLBACK);
        SendOutcome sender21606 = sender.send("+447400123456", "x", CALLBACK);
        assertEquals(SendOutcome.Kind.ACCOUNT, authentication.kind());
        assertEquals(20003, authentication.providerCode());
        assertEquals(SendOutcome.Kind.ACCOUNT, sender21606.kind());
        assertEquals(21606, sender21606.providerCode());
    }

    @Test
    void anInvalidOrOptedOutNumberIsPermanent() {
        twilio.script(Answer.error(400, 21211), Answer.error(400, 21610));
        SendOutcome invalid = sender.send("+447400123456", "x", CALLBACK);
        SendOutcome optedOut = sender.send("+447400123456", "x", CALLBACK);
        assertEquals(SendOutcome.Kind.PERMANENT, invalid.kind());
        assertEquals(21211, invalid.providerCode());
        assertEquals(SendOutcome.Kind.PERMANENT, optedOut.kind());
        assertEquals(21610, optedOut.providerCode());
        assertEquals(2, twilio.requests().size());
    }

    @Test
    void aTimeoutAfterTwilioAcceptedIsUncertainNotFailed() {
        twilio.script(Answer.acceptedButSlow(3_000));
        SendOutcome outcome = sender.send("+447400123456", "x", CALLBACK);
        assertEquals(SendOutcome.Kind.UNCERTAIN, outcome.kind(), outcome.error());
        assertEquals(1, twilio.created().size(), "the message exists although the client gave up");
        assertEquals(1, twilio.requests().size());
    }

    @Test
    void theStubAnswersWithFieldsOfTwilioPublishedMessageSchemaAndTakesItsCreateFields() throws Exception {
        JsonNode spec = new ObjectMapper().readTree(Files.readString(Path.of("..", "shared", "twilio", "twilio_api_v2010.json")));
        JsonNode properties = spec.path("components").path("schemas").path("api.v2010.account.message").path("properties");
        for (String field : TwilioStub.answerFields()) {
            assertTrue(properties.has(field), field + " is a field of api.v2010.account.message");
        }
        JsonNode create = spec.path("paths").path("/2010-04-01/Accounts/{AccountSid}/Messages.json").path("post")
                .path("requestBody").path("content").path("application/x-www-form-urlencoded").path("schema")
                .path("properties");
        for (String field : Set.of("To", "From", "MessagingServiceSid", "Body", "StatusCallback")) {
            assertTrue(create.has(field), field + " is a create field");
        }
    }
}
