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
        assertTrue(refusal(production, "http://192.0.0.192/").contains("special-purpose"));
    }

    @Test
    void ipv4AddressesCarriedInIpv6AreJudgedAsTheIpv4AddressTheyReach() {
        assertTrue(refusal(production, "http://[64:ff9b::a9fe:a9fe]/").contains("link-local"), "NAT64 of 169.254.169.254");
        assertTrue(refusal(production, "http://[64:ff9b:1::1]/").contains("NAT64"));
        assertTrue(refusal(production, "http://[2002:a9fe:a9fe::1]/").contains("link-local"), "6to4 of 169.254.169.254");
        assertTrue(refusal(production, "http://[::ffff:0:a00:1]/").contains("private"), "translated 10.0.0.1");
        assertTrue(refusal(production, "http://[::a00:1]/").contains("private"), "compatible 10.0.0.1");
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
