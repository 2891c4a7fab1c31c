package io.incidentcomms.platform.idempotency;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.incidentcomms.platform.Hashes;
import io.incidentcomms.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Honours the {@code Idempotency-Key} header on POSTs: the first request with a key runs and its
 * response is stored in the same transaction; a repeat with the same body gets the stored response
 * again, a repeat with another body is 422. A failed request stores nothing and may be retried.
 */
@ApplicationScoped
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";

    private final EntityManager em;
    private final ObjectMapper mapper;
    private final Clock clock;

    Idempotency(EntityManager em, ObjectMapper mapper, Clock clock) {
        this.em = em;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Transactional
    public Response execute(String key, String principal, String route, Object request, Supplier<Response> action) {
        if (key == null || key.isBlank()) {
            return action.get();
        }
        if (key.length() > 200) {
            throw ProblemException.invalidField(HEADER, "must be at most 200 characters");
        }
        String hash = hash(route, request);
        int inserted = em.createNativeQuery("""
                insert into idempotent_request (principal, idempotency_key, request_hash, created_at)
                values (?1, ?2, ?3, ?4) on conflict do nothing""")
                .setParameter(1, principal).setParameter(2, key).setParameter(3, hash)
                .setParameter(4, Timestamp.from(clock.instant()))
                .executeUpdate();
        if (inserted == 0) {
            IdempotentRequest earlier = em.find(IdempotentRequest.class, new IdempotentRequest.Id(principal, key));
            if (!earlier.requestHash.equals(hash)) {
                throw new ProblemException(422, "idempotency-key-reused", "Unprocessable Content",
                        "This Idempotency-Key was used with a different request");
            }
            if (earlier.responseStatus == null) {
                throw ProblemException.conflict("idempotent-request-in-progress",
                        "A request with this Idempotency-Key is still in progress");
            }
            return Response.status(earlier.responseStatus).type(MediaType.APPLICATION_JSON)
                    .entity(earlier.responseBody).header("Idempotent-Replayed", "true").build();
        }
        Response response = action.get();
        IdempotentRequest stored = em.find(IdempotentRequest.class, new IdempotentRequest.Id(principal, key));
        stored.responseStatus = response.getStatus();
        stored.responseBody = json(response.getEntity());
        return response;
    }

    private String hash(String route, Object request) {
        return Hashes.sha256Hex(route, json(request));
    }

    private String json(Object value) {
        try {
            return value == null ? null : mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write idempotent response", e);
        }
    }
}
