package io.incidentcomms.delivery;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;

import io.incidentcomms.audience.Masking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends one SMS through the official Twilio SDK, one HTTP attempt per call. Twilio's error codes
 * say whose fault a refusal is ({@link ProviderCodes}); a 5xx or a timeout after the request went
 * out is uncertain — the message may exist, so it is looked up before it is sent again.
 */
@ApplicationScoped
public class SmsSender {

    private static final Logger LOG = Logger.getLogger(SmsSender.class);

    private final SmsConfig config;
    private final DeliveryConfig delivery;
    private final CaptureSink capture;
    private volatile TwilioRestClient client;

    SmsSender(SmsConfig config, DeliveryConfig delivery, CaptureSink capture) {
        this.config = config;
        this.delivery = delivery;
        this.capture = capture;
    }

    public SendOutcome send(String to, String body, URI statusCallback) {
        if (delivery.capture()) {
            return capture.capture("sms", to, null, body, null);
        }
        SmsConfig.Twilio twilio = config.twilio();
        MessageCreator creator = twilio.messagingServiceSid()
                .map(service -> Message.creator(new PhoneNumber(to), service, body))
                .orElseGet(() -> Message.creator(new PhoneNumber(to), new PhoneNumber(twilio.fromNumber()
                        .orElseThrow(() -> new IllegalStateException("Set the Twilio from number or messaging service SID"))),
                        body));
        if (statusCallback != null) {
            creator.setStatusCallback(statusCallback);
        }
        try {
            Message message = creator.create(client());
            return SendOutcome.sent(message.getSid());
        } catch (ApiException e) {
            return classify(to, e);
        } catch (TwilioException e) {
            LOG.warnf("SMS to %s: unreadable answer from Twilio: %s", Masking.phone(to), Masking.inText(e.getMessage()));
            return new SendOutcome(SendOutcome.Kind.UNCERTAIN, null, null, e.getMessage());
        }
    }

    /**
     * How long one send can take at most: connecting and each read keep to the Twilio timeout, so
     * three of them (connect, send the request, read the answer).
     */
    public java.time.Duration sendDeadline() {
        return config.twilio().timeout().multipliedBy(3);
    }

    /** Whether Twilio has a message with this text to this number created since {@code since}. */
    public enum Found {
        YES, NO, UNKNOWN
    }

    public record Lookup(Found found, String sid) {
    }

    public Lookup findSent(String to, String body, java.time.Instant since) {
        try {
            var page = Message.reader().setTo(new PhoneNumber(to))
                    .setDateSentAfter(since.atZone(java.time.ZoneOffset.UTC)).setPageSize(50L).firstPage(client());
            for (Message message : page.getRecords()) {
                if (body.equals(message.getBody())) {
                    return new Lookup(Found.YES, message.getSid());
                }
            }
            return new Lookup(Found.NO, null);
        } catch (TwilioException e) {
            LOG.warnf("Looking up SMS to %s at Twilio failed: %s", Masking.phone(to), Masking.inText(e.getMessage()));
            return new Lookup(Found.UNKNOWN, null);
        }
    }

    private static SendOutcome classify(String to, ApiException e) {
        Integer code = e.getCode();
        Integer status = e.getStatusCode() != null ? e.getStatusCode() : e.getHttpStatusCode();
        String reason = "Twilio " + (code != null ? code : "") + (status != null ? " (HTTP " + status + ")" : "") + ": "
                + e.getMessage();
        LOG.warnf("SMS to %s failed: %s", Masking.phone(to), Masking.inText(reason));
        Optional<ProviderCodes.Fault> fault = ProviderCodes.twilio(code, status);
        if (fault.isPresent()) {
            return SendOutcome.refusal(fault.get(), code, reason);
        }
        if (e.getCause() instanceof IOException io) {
            // refused before it was sent: transient; no answer after sending: it may exist
            return new SendOutcome(io instanceof SocketTimeoutException ? SendOutcome.Kind.UNCERTAIN
                    : SendOutcome.Kind.TRANSIENT, null, code, reason);
        }
        if (status != null && status >= 500) {
            return new SendOutcome(SendOutcome.Kind.UNCERTAIN, null, code, reason);
        }
        return new SendOutcome(SendOutcome.Kind.TRANSIENT, null, code, reason);
    }

    private TwilioRestClient client() {
        TwilioRestClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    SmsConfig.Twilio twilio = config.twilio();
                    client = new TwilioRestClient.Builder(
                            twilio.accountSid().orElseThrow(() -> new IllegalStateException("Twilio account SID is not set")),
                            twilio.authToken().orElseThrow(() -> new IllegalStateException("Twilio auth token is not set")))
                            .httpClient(new TwilioHttpClient(twilio.baseUrl(), delivery.dispatcher().concurrency(), twilio.timeout()))
                            .build();
                }
                current = client;
            }
        }
        return current;
    }
}
