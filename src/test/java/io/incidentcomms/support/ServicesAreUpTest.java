package io.incidentcomms.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A run without PostgreSQL or RabbitMQ stops at once, naming each missing service and how to start it. */
class ServicesAreUpTest {

    @Test
    void eachServiceNotListeningIsNamedWithHowToStartIt() {
        List<String> missing = ServicesAreUp.missing(1, 2); // nothing listens on ports 1 and 2

        assertEquals(2, missing.size(), missing.toString());
        assertTrue(missing.get(0).startsWith("PostgreSQL on 127.0.0.1:1") && missing.get(0).contains("pg_ctlcluster"));
        assertTrue(missing.get(1).startsWith("RabbitMQ on 127.0.0.1:2") && missing.get(1).contains("rabbitmq-server"));
    }

    @Test
    void servicesThatAreUpAreNotNamed() {
        assertEquals(List.of(), ServicesAreUp.missing(5432, 5672), "this run has both");
    }
}
