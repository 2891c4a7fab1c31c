package io.incidentcomms.delivery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.incidentcomms.support.FaultySmtpServer.Faults;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same faults, and the same promises kept, when emails go through Eclipse Angus Mail. */
@QuarkusTest
@TestProfile(EmailChannelFaultsThroughAngusMailTest.MisbehavingSmtpThroughAngus.class)
class EmailChannelFaultsThroughAngusMailTest extends EmailChannelFaultsTest {

    public static class MisbehavingSmtpThroughAngus extends MisbehavingSmtp {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("comms.delivery.email.library", "angus");
            return overrides;
        }
    }

    @Test
    void connectionsStayOpenAcrossMessagesAndRefusals() {
        // one in five refused for now: the connection is reset (RSET) and kept, not thrown away
        server.behave(new Faults(n -> false, n -> n % 5 == 0, n -> false, Duration.ZERO));
        String steady = declareFor(200, "steady");

        waitUntilAllSent(steady, Duration.ofSeconds(60));

        assertExactlyOnce(steady, 200);
        assertTrue(server.connections() <= 10, "200 emails and 40 refusals over " + server.connections()
                + " connections; the pool holds 10");
    }
}
