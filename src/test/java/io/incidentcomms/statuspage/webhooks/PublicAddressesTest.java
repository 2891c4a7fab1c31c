package io.incidentcomms.statuspage.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A subscriber's webhook may only point at a public address: whatever the URL says, the addresses
 * its host resolves to decide, and the loopback switch for tests lets loopback through and nothing else.
 */
class PublicAddressesTest {

    /** A resolver as DNS would answer for these names (a name may be made to resolve anywhere). */
    static final Map<String, String> DNS = Map.of("hooks.example.com", "93.184.216.34",
            "rebound.example.com", "169.254.169.254", "inside.example.com", "10.1.2.3");

    static InetAddress[] resolve(String host) throws UnknownHostException {
        String address = DNS.get(host);
        return new InetAddress[] { InetAddress.getByName(address != null ? address : host) };
    }

    final PublicAddresses production = new PublicAddresses(false, PublicAddressesTest::resolve);
    final PublicAddresses tests = new PublicAddresses(true, PublicAddressesTest::resolve);

    String refusal(PublicAddresses policy, String url) {
        return assertThrows(PublicAddresses.Refused.class, () -> policy.check(url), url).getMessage();
    }

    @Test
    void privateLoopbackLinkLocalAndOtherInnerAddressesAreRefused() {
        assertTrue(refusal(production, "http://127.0.0.1:8080/hook").contains("loopback"));
        assertTrue(refusal(production, "http://localhost/hook").contains("loopback"));
        assertTrue(refusal(production, "http://[::1]/hook").contains("loopback"));
        assertTrue(refusal(production, "http://169.254.169.254/latest/meta-data").contains("link-local"));
        assertTrue(refusal(production, "http://[::ffff:169.254.169.254]/").contains("link-local"));
        assertTrue(refusal(production, "http://[::ffff:127.0.0.1]/").contains("loopback"));
        assertTrue(refusal(production, "https://10.0.0.5/").contains("private"));
        assertTrue(refusal(production, "https://192.168.1.1/").contains("private"));
        assertTrue(refusal(production, "https://172.16.0.1/").contains("private"));
        assertTrue(refusal(production, "https://100.64.0.1/").contains("carrier-grade"));
        assertTrue(refusal(production, "https://0.0.0.0/").contains("unspecified"));
        assertTrue(refusal(production, "https://[fd00::1]/").contains("unique-local"));
        assertTrue(refusal(production, "https://[fe80::1]/").contains("link-local"));
        assertTrue(refusal(production, "https://224.0.0.1/").contains("multicast"));
    }

    @Test
    void aNameIsJudgedByWhatItResolvesTo() throws Exception {
        assertEquals(InetAddress.getByName("93.184.216.34"), production.check("https://hooks.example.com/in").address());
        assertTrue(refusal(production, "https://rebound.example.com/in").contains("link-local"));
        assertTrue(refusal(production, "https://inside.example.com/in").contains("private"));
    }

    @Test
    void onlyHttpAndHttpsWithoutCredentialsAreTaken() {
        assertTrue(refusal(production, "ftp://hooks.example.com/").contains("http"));
        assertTrue(refusal(production, "file:///etc/passwd").contains("http"));
        assertTrue(refusal(production, "https://user:pass@hooks.example.com/").contains("credentials"));
    }

    @Test
    void theTestSwitchLetsLoopbackThroughAndNothingElse() throws Exception {
        assertEquals(9999, tests.check("http://127.0.0.1:9999/hook").port());
        assertTrue(refusal(tests, "http://169.254.169.254/").contains("link-local"));
        assertTrue(refusal(tests, "http://10.0.0.1/").contains("private"));
    }
}
