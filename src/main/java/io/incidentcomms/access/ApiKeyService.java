package io.incidentcomms.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.incidentcomms.platform.Hashes;
import io.incidentcomms.audit.Actor;
import io.incidentcomms.audit.AuditLog;
import io.incidentcomms.platform.problem.ProblemException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

@ApplicationScoped
public class ApiKeyService {

    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);
    static final String BOOTSTRAP_NAME = "bootstrap-admin";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final AuditLog audit;
    private final AccessConfig config;

    ApiKeyService(Clock clock, AuditLog audit, AccessConfig config) {
        this.clock = clock;
        this.audit = audit;
        this.config = config;
    }

    public record KeyIdentity(String name, Role role) {
    }

    public record KeyView(String name, Role role, Instant createdAt, String createdBy, Instant revokedAt) {
    }

    /** The only time the secret is shown. */
    public record CreatedKey(String name, Role role, String key) {
    }

    @Transactional
    void bootstrap(@Observes StartupEvent start) {
        config.bootstrapAdminKey().filter(k -> !k.isBlank()).ifPresent(secret -> {
            String hash = hash(secret);
            ApiKey existing = ApiKey.findByName(BOOTSTRAP_NAME).orElse(null);
            if (existing == null) {
                existing = new ApiKey();
                existing.name = BOOTSTRAP_NAME;
                existing.role = Role.ADMIN;
                existing.createdAt = clock.instant();
                existing.createdBy = Actor.SYSTEM.name();
            } else if (hash.equals(existing.keyHash)) {
                if (existing.revokedAt != null) {
                    // revoked stays revoked: only a new secret in the environment brings an admin key back
                    LOG.warn("The bootstrap admin key from the environment was revoked; it stays revoked");
                }
                return;
            }
            existing.keyHash = hash;
            existing.revokedAt = null;
            existing.persist();
            audit.record(Actor.SYSTEM, "key.bootstrap", "key:" + BOOTSTRAP_NAME, "from the environment");
            LOG.info("Bootstrap admin key from the environment is active");
        });
    }

    @Transactional
    public Optional<KeyIdentity> authenticate(String secret) {
        return ApiKey.findActiveByHash(hash(secret)).map(k -> new KeyIdentity(k.name, k.role));
    }

    @Transactional
    public CreatedKey create(String name, Role role, Actor actor) {
        if (ApiKey.findByName(name).isPresent()) {
            throw ProblemException.conflict("key-exists", "A key named " + name + " already exists");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = "ick_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiKey key = new ApiKey();
        key.name = name;
        key.role = role;
        key.keyHash = hash(secret);
        key.createdAt = clock.instant();
        key.createdBy = actor.name();
        key.persist();
        audit.record(actor, "key.create", "key:" + name, role.wire());
        return new CreatedKey(name, role, secret);
    }

    @Transactional
    public void revoke(String name, Actor actor) {
        ApiKey key = ApiKey.findByName(name).orElseThrow(() -> ProblemException.notFound("Key " + name));
        if (key.revokedAt == null) {
            key.revokedAt = clock.instant();
            audit.record(actor, "key.revoke", "key:" + name, null);
        }
    }

    @Transactional
    public List<KeyView> list() {
        return ApiKey.<ApiKey>listAll().stream()
                .map(k -> new KeyView(k.name, k.role, k.createdAt, k.createdBy, k.revokedAt)).toList();
    }

    /** Keys are 256 random bits, so a fast hash is enough: nothing to brute-force. */
    static String hash(String secret) {
        return Hashes.sha256Hex(secret);
    }
}
