package io.incidentcomms.audience;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.LaunchMode;

/** A production service without a link secret would send dead unsubscribe links: it refuses to start. */
class TokenSecretTest {

    static SelfServiceTokens withSecret(Optional<String> secret) {
        AudienceConfig.SelfService selfService = (AudienceConfig.SelfService) Proxy.newProxyInstance(
                TokenSecretTest.class.getClassLoader(), new Class<?>[] { AudienceConfig.SelfService.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "tokenSecret" -> secret;
                    case "tokenLifetime" -> Duration.ofDays(30);
                    case "undoWindow" -> Duration.ofMinutes(10);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        AudienceConfig config = (AudienceConfig) Proxy.newProxyInstance(TokenSecretTest.class.getClassLoader(),
                new Class<?>[] { AudienceConfig.class }, (proxy, method, args) -> {
                    if (method.getName().equals("selfService")) {
                        return selfService;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new SelfServiceTokens(config, Clock.systemUTC());
    }

    @Test
    void productionRefusesToStartWithoutTheSecretAndSaysWhatToSet() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> withSecret(Optional.empty()).requireSecret(LaunchMode.NORMAL));
        assertTrue(refused.getMessage().contains("COMMS_AUDIENCE_SELF_SERVICE_TOKEN_SECRET"), refused.getMessage());
        assertDoesNotThrow(() -> withSecret(Optional.empty()).requireSecret(LaunchMode.DEVELOPMENT));
        assertDoesNotThrow(() -> withSecret(Optional.of("s3cret")).requireSecret(LaunchMode.NORMAL));
    }
}
