package io.incidentcomms.access;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "comms.access")
public interface AccessConfig {

    /**
     * The first admin key, from the environment ({@code COMMS_ACCESS_BOOTSTRAP_ADMIN_KEY}); stored
     * hashed at start as the key named {@code bootstrap-admin}. Use it to create the real keys.
     */
    Optional<String> bootstrapAdminKey();
}
