package io.incidentcomms.delivery;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whose fault a provider's refusal is, from the providers' documented codes. The difference
 * matters: a recipient fault marks that address (never again, by that channel); an account fault
 * holds the whole channel and marks nobody; a refusal of one message to one recipient fails that
 * message (the other channel is tried) and marks nobody. Guessing wrong either stops every
 * message or silently drops customers, so every code here is named, with its source, and tested.
 *
 * <p>Twilio: https://www.twilio.com/docs/api/errors. SMTP: RFC 5321 reply codes and RFC 3463
 * enhanced status codes, which decide when the server gives one.
 */
public final class ProviderCodes {

    /** What a refusal says about whom. */
    public enum Fault {
        /** The address is no good (unknown, invalid, not a mobile, unsubscribed): mark it. */
        RECIPIENT,
        /** This message to this recipient is refused (policy, region, mailbox full); the address stays. */
        MESSAGE,
        /** Our account or sending setup is refused (credentials, suspended, sender, DMARC): hold the channel. */
        ACCOUNT,
        /** The provider asks us to slow down: pause the sender. */
        THROTTLE,
        /** Worth another attempt later. */
        TEMPORARY
    }

    /** Twilio REST API error codes. */
    static final Map<Integer, Fault> TWILIO = Map.ofEntries(
            Map.entry(20003, Fault.ACCOUNT),   // authentication failed (wrong SID or token)
            Map.entry(20005, Fault.ACCOUNT),   // account not active (suspended or closed)
            Map.entry(21606, Fault.ACCOUNT),   // the From number cannot send SMS
            Map.entry(21211, Fault.RECIPIENT), // invalid 'To' phone number
            Map.entry(21614, Fault.RECIPIENT), // 'To' number is not a valid mobile number
            Map.entry(21610, Fault.RECIPIENT), // the recipient replied STOP (unsubscribed at the carrier)
            Map.entry(21408, Fault.MESSAGE),   // permission to send to this region is not enabled on the account
            Map.entry(21612, Fault.MESSAGE),   // the 'To' number is not reachable by SMS from this sender
            Map.entry(21608, Fault.MESSAGE),   // trial account: the number is not verified
            Map.entry(20429, Fault.THROTTLE),  // too many requests
            Map.entry(21611, Fault.THROTTLE)); // the sender's queue at Twilio is full

    /** SMTP reply codes that say something on their own (without an enhanced status code). */
    static final Map<Integer, Fault> SMTP = Map.ofEntries(
            Map.entry(530, Fault.ACCOUNT),   // authentication required
            Map.entry(534, Fault.ACCOUNT),   // authentication mechanism is too weak
            Map.entry(535, Fault.ACCOUNT),   // authentication credentials invalid
            Map.entry(538, Fault.ACCOUNT),   // encryption required for the authentication mechanism
            Map.entry(550, Fault.RECIPIENT), // mailbox unavailable
            Map.entry(551, Fault.RECIPIENT), // user not local
            Map.entry(553, Fault.RECIPIENT), // mailbox name not allowed
            Map.entry(552, Fault.MESSAGE),   // exceeded storage allocation
            Map.entry(554, Fault.MESSAGE));  // transaction failed

    /** RFC 3463 enhanced status codes (class 5), by subject.detail; the most specific match wins. */
    static final Map<String, Fault> ENHANCED = Map.ofEntries(
            Map.entry("1", Fault.RECIPIENT),    // 5.1.x addressing: bad mailbox, bad domain, bad syntax, null MX
            Map.entry("2.1", Fault.RECIPIENT),  // mailbox disabled, not accepting messages
            Map.entry("2", Fault.MESSAGE),      // 5.2.x mailbox status: full, message too long
            Map.entry("3", Fault.MESSAGE),      // 5.3.x mail system: too big, not capable
            Map.entry("6", Fault.MESSAGE),      // 5.6.x content
            Map.entry("7.1", Fault.MESSAGE),    // delivery not authorized, message refused (a recipient's policy)
            Map.entry("7", Fault.MESSAGE),      // other security or policy refusals of this message
            Map.entry("7.0", Fault.ACCOUNT),    // other security: with 530 "authentication required"
            Map.entry("7.8", Fault.ACCOUNT),    // authentication credentials invalid
            Map.entry("7.9", Fault.ACCOUNT),    // authentication mechanism too weak
            Map.entry("7.11", Fault.ACCOUNT),   // encryption required
            Map.entry("7.25", Fault.ACCOUNT),   // reverse DNS of our sending IP failed
            Map.entry("7.26", Fault.ACCOUNT),   // SPF/DKIM/DMARC of our domain failed
            Map.entry("7.27", Fault.ACCOUNT));  // our domain publishes a null MX / does not accept mail

    private static final Pattern ENHANCED_STATUS = Pattern.compile("\\b([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");

    private ProviderCodes() {
    }

    /** A Twilio API error: by its code, else by HTTP status (401 account, 429 throttle). */
    public static Optional<Fault> twilio(Integer code, Integer httpStatus) {
        if (code != null && TWILIO.containsKey(code)) {
            return Optional.of(TWILIO.get(code));
        }
        if (Integer.valueOf(401).equals(httpStatus)) {
            return Optional.of(Fault.ACCOUNT);
        }
        if (Integer.valueOf(429).equals(httpStatus)) {
            return Optional.of(Fault.THROTTLE);
        }
        return Optional.empty();
    }

    /** An SMTP reply: 4xx is temporary; a 5xx by its enhanced status code if it has one, else by its code. */
    public static Fault smtp(int code, String replyText) {
        if (code < 500) {
            return Fault.TEMPORARY;
        }
        Matcher enhanced = ENHANCED_STATUS.matcher(replyText == null ? "" : replyText);
        if (enhanced.find() && enhanced.group(1).equals("5")) {
            String subject = enhanced.group(2);
            Fault specific = ENHANCED.get(subject + "." + enhanced.group(3));
            if (specific != null) {
                return specific;
            }
            Fault general = ENHANCED.get(subject);
            if (general != null) {
                return general;
            }
        }
        // an unknown refusal fails this message; marking the address on a guess would drop a customer
        return SMTP.getOrDefault(code, Fault.MESSAGE);
    }
}
