package io.incidentcomms.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.incidentcomms.delivery.SmtpLanes.Lane;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;

/** Lanes of the SMTP client: each used by one send at a time, never lost, never more than allowed. */
class SmtpLanesTest {

    final Vertx vertx = Vertx.vertx();
    final AtomicInteger made = new AtomicInteger();
    final Set<Context> madeOn = new HashSet<>();

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    SmtpLanes lanes(int count) {
        return new SmtpLanes(vertx, count, () -> {
            made.incrementAndGet();
            synchronized (madeOn) {
                madeOn.add(Vertx.currentContext());
            }
            return MailClient.create(vertx, new MailConfig().setMaxPoolSize(1));
        });
    }

    static long in(Duration wait) {
        return System.nanoTime() + wait.toNanos();
    }

    @Test
    void noMoreLanesAreOpenedThanAllowedAndASendWaitsForOneToComeFree() {
        SmtpLanes lanes = lanes(2);
        Lane first = lanes.take(in(Duration.ZERO));
        Lane second = lanes.take(in(Duration.ZERO));

        long start = System.nanoTime();
        assertNull(lanes.take(in(Duration.ofMillis(300))), "both lanes are busy");
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos(), "it waited for one");

        lanes.giveBack(first);
        assertEquals(first, lanes.take(in(Duration.ZERO)));
        assertNotEquals(first, second);
        assertEquals(2, made.get());
    }

    @Test
    void eachLanesClientIsMadeOnTheLanesOwnContextNotTheCallingThreads() {
        SmtpLanes lanes = lanes(2);
        Lane first = lanes.take(in(Duration.ZERO));
        Lane second = lanes.take(in(Duration.ZERO));

        assertEquals(Set.of(first.loop(), second.loop()), madeOn);
        assertTrue(first.loop().isEventLoopContext());
        assertNotEquals(first.loop(), second.loop());
    }

    @Test
    void aLaneWhoseSendWasCutOffIsReplacedByANewOne() {
        SmtpLanes lanes = lanes(1);
        Lane cutOff = lanes.take(in(Duration.ZERO));

        lanes.discard(cutOff);
        Lane next = lanes.take(in(Duration.ZERO));

        assertNotNull(next);
        assertNotEquals(cutOff, next);
        assertThrows(IllegalStateException.class, () -> cutOff.client().close(), "the cut-off lane was closed");
        assertEquals(2, made.get());
        assertNull(lanes.take(in(Duration.ofMillis(50))), "still one lane at most");
    }

    @Test
    void aLaneThatCannotBeSetUpIsTriedAgainByTheNextSend() {
        AtomicBoolean failing = new AtomicBoolean(true);
        SmtpLanes lanes = new SmtpLanes(vertx, 1, () -> {
            if (failing.get()) {
                throw new IllegalStateException("the DKIM key cannot be read");
            }
            return MailClient.create(vertx, new MailConfig().setMaxPoolSize(1));
        });

        assertNull(lanes.take(in(Duration.ofSeconds(5))), "no lane, at once");
        failing.set(false);
        assertNotNull(lanes.take(in(Duration.ZERO)), "the place was kept for it");
    }

    @Test
    void afterShutdownNoLaneIsHandedOutAndOneGivenBackIsClosed() {
        SmtpLanes lanes = lanes(2);
        Lane running = lanes.take(in(Duration.ZERO));

        lanes.close();
        long start = System.nanoTime();
        assertNull(lanes.take(in(Duration.ofSeconds(5))));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), "no waiting once closed");
        lanes.giveBack(running);
        assertNull(lanes.take(in(Duration.ZERO)));
        assertThrows(IllegalStateException.class, () -> running.client().close(), "closed when given back");
    }
}
