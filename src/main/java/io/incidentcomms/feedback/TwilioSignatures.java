package io.incidentcomms.feedback;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import com.twilio.security.RequestValidator;

import io.incidentcomms.delivery.SmsConfig;
import io.incidentcomms.message.MessageConfig;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Checks {@code X-Twilio-Signature} with the official SDK's validator: an HMAC of the URL Twilio
 * called — the public address we gave it, not what the proxy in front of us forwarded — and the
 * posted parameters, keyed with the account's auth token.
 */
@ApplicationScoped
public class TwilioSignatures {

    private static final Logger LOG = Logger.getLogger(TwilioSignatures.class);

    private final SmsConfig sms;
    private final MessageConfig messages;

    TwilioSignatures(SmsConfig sms, MessageConfig messages) {
        this.sms = sms;
        this.messages = messages;
    }

    /** 403 unless Twilio signed this request to {@code pathAndQuery} under our public base URL. */
    public void verify(String pathAndQuery, Map<String, List<String>> form, String signature) {
        String token = sms.twilio().authToken().orElse(null);
        Map<String, String> params = new HashMap<>();
        form.forEach((name, values) -> params.put(name, values.isEmpty() ? "" : values.get(0)));
        if (token == null || signature == null || signature.isBlank()
                || !new RequestValidator(token).validate(messages.publicBaseUrl() + pathAndQuery, params, signature)) {
            LOG.warnf("Rejected a Twilio callback to %s: %s", pathAndQuery.replaceAll("\\?.*", ""),
                    token == null ? "no auth token configured" : "bad or missing signature");
            throw new ProblemException(403, "bad-signature", "Forbidden",
                    "The request does not carry a valid X-Twilio-Signature");
        }
    }
}
