package io.incidentcomms.platform.problem;

import java.io.IOException;
import java.io.InputStream;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads a request body that a resource takes as a stream (to check a signature over its bytes):
 * no more than {@code comms.http.max-api-body}, or a 413 problem. {@link BodySizeLimit} already
 * refuses an announced length over the limit; this holds whatever the length header said.
 */
@ApplicationScoped
public class ApiBodies {

    private final long max;

    ApiBodies(@ConfigProperty(name = "comms.http.max-api-body", defaultValue = "256K") MemorySize max) {
        this.max = max.asLongValue();
    }

    public byte[] read(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes((int) max + 1);
        if (bytes.length > max) {
            throw new ProblemException(413, "content-too-large", "Content Too Large",
                    "The request body is larger than " + (max / 1024) + " KiB");
        }
        return bytes;
    }
}
