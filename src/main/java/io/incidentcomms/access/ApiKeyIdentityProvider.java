package io.incidentcomms.access;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationMechanism.ApiKeyRequest> {

    private final ApiKeyService keys;

    ApiKeyIdentityProvider(ApiKeyService keys) {
        this.keys = keys;
    }

    @Override
    public Class<ApiKeyAuthenticationMechanism.ApiKeyRequest> getRequestType() {
        return ApiKeyAuthenticationMechanism.ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationMechanism.ApiKeyRequest request,
            AuthenticationRequestContext context) {
        return context.runBlocking(() -> keys.authenticate(request.key())
                .map(identity -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(identity.name()))
                        .addRoles(identity.role().grantedRoles())
                        .build())
                .orElseThrow(() -> new AuthenticationFailedException("Unknown or revoked API key")));
    }
}
