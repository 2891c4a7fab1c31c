package io.incidentcomms.audience;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

import org.jboss.logging.Logger;

import io.incidentcomms.platform.problem.ProblemException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Signed tokens that every message carries for its recipient's contact point (and the incident it
 * is about): {@code base64url(contactPoint.incident.expires.addressTag).base64url(HMAC-SHA256)}.
 * The address tag (a hash of the address the message went to) binds the token to that address:
 * once the contact point's address changes, the old owner's links no longer work. A tampered token
 * is refused; an expired one is still good for opting out, and for nothing else (so is a token
 * from before address tags, which cannot be bound).
 */
@ApplicationScoped
public class SelfServiceTokens {

    private static final Logger LOG = Logger.getLogger(SelfServiceTokens.class);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** {@code addressTag} is null for a token from before tags; such a token only opts out. */
    public record Claims(long contactPointId, Long incidentId, Instant expiresAt, boolean expired, String addressTag) {

        /** Whether the token was made for this address (a token without a tag is taken as made for it). */
        public boolean madeFor(String address) {
            return addressTag == null || addressTag.equals(tag(address));
        }
    }

    private final AudienceConfig config;
    private final Clock clock;

    SelfServiceTokens(AudienceConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /**
     * Customer messages carry links signed with the secret; without it they would carry dead links
     * and an empty List-Unsubscribe header. A production start without it stops with a clear error.
     */
    void requireSecret(@Observes StartupEvent start) {
        requireSecret(io.quarkus.runtime.LaunchMode.current());
    }

    void requireSecret(io.quarkus.runtime.LaunchMode mode) {
        if (config.selfService().tokenSecret().filter(s -> !s.isBlank()).isPresent()) {
            return;
        }
        if (mode == io.quarkus.runtime.LaunchMode.NORMAL) {
            throw new IllegalStateException("COMMS_AUDIENCE_SELF_SERVICE_TOKEN_SECRET is not set: customer messages would carry"
                    + " no working unsubscribe or answer links. Set it to a long random secret (e.g. openssl rand -base64 32)");
        }
        LOG.warn("COMMS_AUDIENCE_SELF_SERVICE_TOKEN_SECRET is not set: self-service and unsubscribe links are off");
    }

    /** A token for the contact point and the address the message goes to (and the incident it is about). */
    public String issue(long contactPointId, String address, Long incidentId) {
        return issue(contactPointId, address, incidentId, clock.instant().plus(config.selfService().tokenLifetime()));
    }

    /** A token that expires earlier than usual (a page that may only act as long as its link lives). */
    public String issue(long contactPointId, String address, Long incidentId, Instant expires) {
        String payload = contactPointId + "." + (incidentId == null ? "" : incidentId) + "." + expires.getEpochSecond() + "."
                + tag(address);
        return ENCODER.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + sign(payload);
    }

    /** The token's claims; 401 when it was not signed by us. */
    public Claims verify(String token) {
        if (token == null) {
            throw invalid();
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            throw invalid();
        }
        String payload;
        try {
            payload = new String(DECODER.decode(token.substring(0, dot)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!MessageDigest.isEqual(sign(payload).getBytes(StandardCharsets.UTF_8),
                token.substring(dot + 1).getBytes(StandardCharsets.UTF_8))) {
            throw invalid();
        }
        String[] parts = payload.split("\\.", -1);
        if (parts.length != 3 && parts.length != 4) {
            throw invalid();
        }
        try {
            Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[2]));
            boolean legacy = parts.length == 3;
            return new Claims(Long.parseLong(parts[0]), parts[1].isEmpty() ? null : Long.parseLong(parts[1]), expires,
                    legacy || !clock.instant().isBefore(expires), legacy ? null : parts[3]);
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw invalid();
        }
    }

    private String sign(String payload) {
        String secret = config.selfService().tokenSecret().filter(s -> !s.isBlank())
                .orElseThrow(() -> new ProblemException(503, "self-service-off", "Service Unavailable",
                        "Self-service links are not configured on this service"));
        return ENCODER.encodeToString(io.incidentcomms.platform.Hashes.hmacSha256(secret,
                payload.getBytes(StandardCharsets.UTF_8)));
    }

    /** A short hash of the address: enough to tell addresses apart, nothing to read the address from. */
    static String tag(String address) {
        return io.incidentcomms.platform.Hashes.sha256Hex(address == null ? "" : address).substring(0, 12);
    }

    /** The 401 for a link that is not ours (or not for what it is used for). */
    public static ProblemException invalid() {
        return new ProblemException(401, "invalid-token", "Unauthorized", "This link is not valid");
    }
}
