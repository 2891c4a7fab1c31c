package io.incidentcomms.feedback;

import static io.incidentcomms.support.Api.asAdmin;
import static io.incidentcomms.support.Api.asAnonymous;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.support.DeliveringTest;
import io.incidentcomms.support.Signing;
import io.incidentcomms.support.TwilioStub;
import io.incidentcomms.support.TwilioStub.Answer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Twilio's status callbacks move a sent SMS to delivered or failed, and only when Twilio signed them. */
@QuarkusTest
class TwilioStatusCallbackTest extends DeliveringTest {

    @jakarta.inject.Inject
    ProviderReceipts receipts;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String scope = "component:callback-" + run;

    @BeforeEach
    void drainEarlierWork() {
        planAndDispatch();
        twilio.reset();
    }

    static String sign(String url, Map<String, String> params) {
        return Signing.twilio(TwilioStub.AUTH_TOKEN, url, params);
    }

    long smsNotificationTo(String phone) {
        asAdmin().body("""
                {"externalRef": "%s-%s", "phone": "%s", "smsConsent": true, "consentSource": "test", "tier": "priority",
                 "subscriptions": ["%s"]}""".formatted(run, phone.substring(1), phone, scope)).post("/api/subscribers").then().statusCode(201);
        asAdmin().body("""
                {"title": "Callbacks %s", "kind": "outage", "severity": "major", "scopes": ["%s"],
                 "explain": {"en": "Checkout fails."}}""".formatted(run, scope)).post("/api/incidents").then().statusCode(201);
        while (planner.planBatch() > 0) {
            // planned, not yet sent
        }
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                select n.id from notification n join contact_point cp on cp.id = n.contact_point_id
                where cp.address = ?1 and n.channel = 'SMS'""").setParameter(1, phone).getSingleResult()).longValue());
    }

    Object[] stateOf(long id) {
        return QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "select state, coalesce(last_error, '') from notification where id = ?1").setParameter(1, id).getSingleResult());
    }

    int callback(long id, Map<String, String> params, String signature) {
        var request = asAnonymous().contentType(ContentType.URLENC).formParams(params);
        if (signature != null) {
            request.header("X-Twilio-Signature", signature);
        }
        return request.post("/api/twilio/status?notification=" + id).then().extract().statusCode();
    }

    static String url(long id) {
        return "http://localhost:8080/api/twilio/status?notification=" + id;
    }

    @Test
    void aCallbackWithABadOrMissingSignatureIsRefusedAndChangesNothing() throws Exception {
        long id = smsNotificationTo("+447400300001");
        planAndDispatch();
        Map<String, String> delivered = Map.of("MessageSid", "SM1", "MessageStatus", "delivered");

        assertEquals(403, callback(id, delivered, null));
        assertEquals(403, callback(id, delivered, sign(url(id), Map.of("MessageSid", "SM1", "MessageStatus", "failed"))));
        assertEquals(403, callback(id, delivered, sign(url(id + 1), delivered)));

        assertEquals("SENT", stateOf(id)[0]);
    }

    @Test
    void aSignedCallbackMovesTheSmsToDeliveredOrToFailedWithTheErrorCode() throws Exception {
        long delivered = smsNotificationTo("+447400300002");
        long failed = smsNotificationTo("+447400300003");
        planAndDispatch();

        Map<String, String> ok = Map.of("MessageSid", "SM2", "MessageStatus", "delivered", "AccountSid", TwilioStub.ACCOUNT_SID);
        Map<String, String> bad = Map.of("MessageSid", "SM3", "MessageStatus", "undelivered", "ErrorCode", "30003");
        assertEquals(204, callback(delivered, ok, sign(url(delivered), ok)));
        assertEquals(204, callback(failed, bad, sign(url(failed), bad)));
        Map<String, String> late = Map.of("MessageSid", "SM2", "MessageStatus", "sent");
        assertEquals(204, callback(delivered, late, sign(url(delivered), late)));

        assertEquals("DELIVERED", stateOf(delivered)[0], "and a later 'sent' does not move it back");
        assertEquals("FAILED", stateOf(failed)[0]);
        assertEquals("Twilio undelivered (error 30003)", stateOf(failed)[1]);
    }

    @Test
    void aCallbackThatArrivesBeforeOurRecordOfTheSendIsKeptAndApplied() throws Exception {
        long id = smsNotificationTo("+447400300004");
        twilio.scriptFor("+447400300004", Answer.acceptedButSlow(1500));
        CompletableFuture<Void> sending = CompletableFuture.runAsync(this::planAndDispatch);
        while (twilio.created().stream().noneMatch(m -> "+447400300004".equals(m.get("to")))) {
            Thread.sleep(20);
        }
        assertEquals("SENDING", stateOf(id)[0], "Twilio has the message; our 201 is not recorded yet");

        Map<String, String> delivered = Map.of("MessageSid", "SM4", "MessageStatus", "delivered");
        assertEquals(204, callback(id, delivered, sign(url(id), delivered)));
        sending.get();

        assertEquals("DELIVERED", stateOf(id)[0]);
    }

    @Test
    void aReportLeftWaitingBesideASentRecordIsAppliedByTheSweep() {
        long id = smsNotificationTo("+447400300005");
        planAndDispatch();
        assertEquals("SENT", stateOf(id)[0]);
        // what a report looks like that slipped between its own attempt and the send's record
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                insert into provider_receipt (notification_id, status, error_code, message_sid, received_at)
                values (?1, 'undelivered', '30003', 'SM5', now() - interval '1 minute')""").setParameter(1, id).executeUpdate());

        receipts.applyStale();

        assertEquals("FAILED", stateOf(id)[0]);
        assertEquals("Twilio undelivered (error 30003)", stateOf(id)[1]);
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from provider_receipt where notification_id = ?1 and applied_at is null")
                .setParameter(1, id).getSingleResult()).longValue()), "the report is settled");
    }
}
