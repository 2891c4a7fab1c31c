package io.incidentcomms.console.signin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.incidentcomms.platform.Hashes;
import io.quarkus.oidc.Oidc;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.quarkus.oidc.runtime.OidcTenantConfig.TokenStateManager.Strategy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Console sign-in through the organisation's OpenID Connect provider (authorization code flow on
 * {@value #PATH} only). The provider vouches for who someone is and which groups they are in; the
 * console maps those groups to its roles and then keeps its own session, as after a password.
 */
@ApplicationScoped
public class SingleSignOn {

    public static final String PATH = "/console/sso";
    static final String TENANT = "console-sso";

    private final ConsoleConfig.Oidc config;

    SingleSignOn(ConsoleConfig config) {
        this.config = config.oidc();
    }

    public boolean enabled() {
        return config.issuer().filter(issuer -> !issuer.isBlank()).isPresent();
    }

    public String providerName() {
        return config.providerName();
    }

    /** Registers the provider with Quarkus OIDC when it is configured; the default tenant stays off. */
    void register(@Observes Oidc oidc) {
        if (!enabled()) {
            return;
        }
        var tenant = OidcTenantConfig.authServerUrl(config.issuer().get())
                .tenantId(TENANT)
                .tenantPaths(PATH)
                .applicationType(ApplicationType.WEB_APP)
                .clientId(config.clientId());
        config.clientSecret().ifPresent(secret -> tenant.credentials().secret(secret).end()
                // every replica must read the cookies another one set before and after the trip to the
                // provider; without shared secrets Quarkus makes them per process
                .tokenStateManager().strategy(Strategy.ID_TOKEN).encryptionSecret(derived("session", secret)).end()
                .authentication().stateSecret(derived("state", secret)).end());
        oidc.create(tenant.authentication()
                .scopes("profile", "email")
                .pkceRequired()
                .nonceRequired()
                .restorePathAfterRedirect()
                .removeRedirectParameters()
                .cookiePath(PATH)
                .end()
                .build());
    }

    private static String derived(String purpose, String clientSecret) {
        return Hashes.sha256Hex("console-sso-" + purpose + ":" + clientSecret);
    }

    /** The console name the provider gives the user (lower case), or empty when its claim is missing. */
    public String usernameOf(JsonWebToken token) {
        Object name = token.getClaim(config.usernameClaim());
        return name == null ? "" : ConsoleUsers.normalize(name.toString());
    }

    /** The highest console role the user's groups give, or empty when none of them is mapped. */
    public Optional<ConsoleRole> roleOf(JsonWebToken token) {
        List<String> groups = claimValues(token);
        ConsoleConfig.Oidc.Roles roles = config.roles();
        if (matches(groups, roles.admin())) {
            return Optional.of(ConsoleRole.ADMIN);
        }
        if (matches(groups, roles.ops())) {
            return Optional.of(ConsoleRole.OPS);
        }
        if (matches(groups, roles.viewer())) {
            return Optional.of(ConsoleRole.VIEWER);
        }
        return Optional.empty();
    }

    /** The claim names that would give a role, for the page that says why someone was turned away. */
    public String roleClaim() {
        return config.roleClaim();
    }

    private static boolean matches(List<String> groups, Optional<List<String>> values) {
        return values.map(wanted -> wanted.stream().anyMatch(groups::contains)).orElse(false);
    }

    /** The role claim's values: a string, an array, or a nested one reached by a dotted path. */
    private List<String> claimValues(JsonWebToken token) {
        String[] path = config.roleClaim().split("\\.");
        Object value = token.getClaim(path[0]);
        for (int i = 1; i < path.length && value != null; i++) {
            value = value instanceof JsonObject object ? object.get(path[i])
                    : value instanceof Map<?, ?> map ? map.get(path[i]) : null;
        }
        List<String> values = new ArrayList<>();
        if (value instanceof JsonArray array) {
            array.forEach(item -> values.add(text(item)));
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(item -> values.add(item instanceof JsonValue json ? text(json) : String.valueOf(item)));
        } else if (value instanceof JsonValue json) {
            values.add(text(json));
        } else if (value != null) {
            values.add(value.toString());
        }
        return values;
    }

    private static String text(JsonValue value) {
        return value instanceof JsonString string ? string.getString() : value.toString();
    }
}
