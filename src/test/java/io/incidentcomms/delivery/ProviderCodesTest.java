package io.incidentcomms.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.incidentcomms.delivery.ProviderCodes.Fault;

/**
 * Whose fault each documented provider refusal is. A recipient fault marks the address, an account
 * fault holds the channel, a message refusal fails that message alone: each code, one row.
 */
class ProviderCodesTest {

    @ParameterizedTest(name = "Twilio {0} (HTTP {1}) is a {2} fault")
    @CsvSource(nullValues = "none", value = {
            "20003, 401, ACCOUNT",   // authentication failed
            "20005, 403, ACCOUNT",   // account not active
            "21606, 400, ACCOUNT",   // From number not SMS-capable
            "21211, 400, RECIPIENT", // invalid To number
            "21614, 400, RECIPIENT", // not a mobile number
            "21610, 400, RECIPIENT", // recipient unsubscribed (STOP)
            "21408, 400, MESSAGE",   // region not enabled on the account: the recipient is not at fault
            "21612, 400, MESSAGE",   // not reachable from this sender
            "21608, 400, MESSAGE",   // trial account, unverified number
            "20429, 429, THROTTLE",  // too many requests
            "21611, 400, THROTTLE",  // the sender's queue is full
            "none, 401, ACCOUNT",    // refused credentials without a code
            "none, 429, THROTTLE"})  // throttled without a code
    void twilioCodes(Integer code, Integer status, Fault fault) {
        assertEquals(Optional.of(fault), ProviderCodes.twilio(code, status));
    }

    @ParameterizedTest(name = "Twilio {0} (HTTP {1}) is left to the HTTP status")
    @CsvSource(nullValues = "none", value = {"30001, 500", "none, 503", "21617, 400"})
    void unknownTwilioCodesAreNotClassified(Integer code, Integer status) {
        assertEquals(Optional.empty(), ProviderCodes.twilio(code, status));
    }

    @ParameterizedTest(name = "SMTP \"{0} {1}\" is a {2} fault")
    @CsvSource(delimiter = '|', value = {
            "421 | 4.7.0 Try again later, closing connection | TEMPORARY",
            "450 | 4.2.1 Mailbox busy | TEMPORARY",
            "451 | 4.3.0 Temporary local problem | TEMPORARY",
            "452 | 4.5.3 Too many recipients | TEMPORARY",
            "530 | 5.7.0 Authentication required | ACCOUNT",
            "530 | Must issue a STARTTLS command first | ACCOUNT",
            "534 | 5.7.9 Authentication mechanism is too weak | ACCOUNT",
            "535 | 5.7.8 Username and Password not accepted | ACCOUNT",
            "535 | Authentication credentials invalid | ACCOUNT",
            "538 | 5.7.11 Encryption required | ACCOUNT",
            "550 | 5.7.25 The IP address sending this message does not have a PTR record | ACCOUNT",
            "550 | 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy | ACCOUNT",
            "550 | 5.7.27 Sender address has null MX | ACCOUNT",
            "554 | 5.7.1 <ada@example.com>: Recipient address rejected: Access denied | MESSAGE",
            "550 | 5.7.1 Message rejected as spam by Content Filtering | MESSAGE",
            "550 | 5.7.606 Access denied, banned sending IP | MESSAGE",
            "550 | 5.1.1 The email account that you tried to reach does not exist | RECIPIENT",
            "550 | 5.1.2 Bad destination system address | RECIPIENT",
            "553 | 5.1.3 Bad destination mailbox address syntax | RECIPIENT",
            "556 | 5.1.10 Recipient address has null MX | RECIPIENT",
            "550 | 5.2.1 The email account that you tried to reach is disabled | RECIPIENT",
            "552 | 5.2.2 The email account that you tried to reach is over quota | MESSAGE",
            "552 | 5.3.4 Message size exceeds fixed limit | MESSAGE",
            "550 | Requested action not taken: mailbox unavailable | RECIPIENT",
            "551 | User not local | RECIPIENT",
            "553 | Requested action not taken: mailbox name not allowed | RECIPIENT",
            "554 | Transaction failed | MESSAGE",
            "503 | Bad sequence of commands | MESSAGE"})
    void smtpReplies(int code, String text, Fault fault) {
        assertEquals(fault, ProviderCodes.smtp(code, text));
    }
}
