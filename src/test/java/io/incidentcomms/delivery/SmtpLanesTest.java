package io.incidentcomms.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
    /** Clients made and not yet closed. */
    final Set<MailClient> unclosed = java.util.concurrent.ConcurrentHashMap.newKeySet();

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
            MailClient client = MailClient.create(vertx, new MailConfig().setMaxPoolSize(1));
            MailClient counted = new ClosingCounted(client);
            unclosed.add(counted);
            return counted;
        });
    }

    /** A mail client that says when it is closed. */
    final class ClosingCounted implements MailClient {
        final MailClient client;

        ClosingCounted(MailClient client) {
            this.client = client;
        }

        @Override
        public MailClient sendMail(io.vertx.ext.mail.MailMessage email,
                io.vertx.core.Handler<io.vertx.core.AsyncResult<io.vertx.ext.mail.MailResult>> resultHandler) {
            client.sendMail(email, resultHandler);
            return this;
        }

        @Override
        public io.vertx.core.Future<io.vertx.ext.mail.MailResult> sendMail(io.vertx.ext.mail.MailMessage email) {
            return client.sendMail(email);
        }

        @Override
        public io.vertx.core.Future<Void> close() {
            unclosed.remove(this);
            return client.close();
        }

        @Override
        public void close(io.vertx.core.Handler<io.vertx.core.AsyncResult<Void>> closedHandler) {
            unclosed.remove(this);
            client.close(closedHandler);
        }
    }

    static long in(Duration wait) {
        return System.nanoTime() + wait.toNanos();
    }

    /** Time enough to set a lane up (a send has at least one step's SMTP timeout for that). */
    static long soon() {
        return in(Duration.ofSeconds(5));
    }

    @Test
    void noMoreLanesAreOpenedThanAllowedAndASendWaitsForOneToComeFree() {
        SmtpLanes lanes = lanes(2);
        Lane first = lanes.take(soon());
        Lane second = lanes.take(soon());

        long start = System.nanoTime();
        SmtpClient.NoLaneFree none = assertThrows(SmtpClient.NoLaneFree.class, () -> lanes.take(in(Duration.ofMillis(300))));
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos(), "it waited for one");
        assertEquals("every SMTP connection was busy", none.getMessage());

        lanes.giveBack(first);
        assertEquals(first, lanes.take(soon()));
        assertNotEquals(first, second);
        assertEquals(2, made.get());
    }

    @Test
    void eachLanesClientIsMadeOnTheLanesOwnContextNotTheCallingThreads() {
        SmtpLanes lanes = lanes(2);
        Lane first = lanes.take(soon());
        Lane second = lanes.take(soon());

        assertEquals(Set.of(first.loop(), second.loop()), madeOn);
        assertTrue(first.loop().isEventLoopContext());
        assertNotEquals(first.loop(), second.loop());
    }

    @Test
    void aLaneWhoseSendWasCutOffIsClosedAndReplacedByANewOne() {
        SmtpLanes lanes = lanes(1);
        Lane cutOff = lanes.take(soon());

        lanes.discard(cutOff);
        Lane next = lanes.take(soon());

        assertNotEquals(cutOff, next);
        assertFalse(unclosed.contains(cutOff.client()), "the cut-off lane was closed");
        assertEquals(2, made.get());
        assertThrows(SmtpClient.NoLaneFree.class, () -> lanes.take(in(Duration.ofMillis(50))), "still one lane at most");
    }

    @Test
    void aLaneThatCannotBeSetUpSaysWhyAndIsTriedAgainByTheNextSend() {
        AtomicBoolean failing = new AtomicBoolean(true);
        SmtpLanes lanes = new SmtpLanes(vertx, 1, () -> {
            if (failing.get()) {
                throw new IllegalStateException("the DKIM key cannot be read");
            }
            return MailClient.create(vertx, new MailConfig().setMaxPoolSize(1));
        });

        long start = System.nanoTime();
        SmtpClient.NoLaneFree refused = assertThrows(SmtpClient.NoLaneFree.class, () -> lanes.take(in(Duration.ofSeconds(5))));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos(), "at once, not after the wait");
        assertTrue(refused.getMessage().contains("the DKIM key cannot be read"), refused.getMessage());
        failing.set(false);
        lanes.take(soon()); // the place was kept for it
    }

    @Test
    void atShutdownIdleLanesCloseAtOnceBusyOnesWhenGivenBackAndNoneIsHandedOut() {
        SmtpLanes lanes = lanes(2);
        Lane running = lanes.take(soon());
        lanes.giveBack(lanes.take(soon()));

        lanes.close();
        assertEquals(Set.of(running.client()), unclosed, "the idle lane is closed, the busy one still sends");
        long start = System.nanoTime();
        assertThrows(SmtpClient.NoLaneFree.class, () -> lanes.take(in(Duration.ofSeconds(5))));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), "no waiting once closed");
        lanes.giveBack(running);
        assertEquals(Set.of(), unclosed, "closed when its send gave it back");
    }

    @Test
    void manySendersTakingGivingBackAndDiscardingNeverHoldMoreLanesThanAllowedNorLoseOne() throws Exception {
        SmtpLanes lanes = lanes(3);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger mostHeld = new AtomicInteger();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService senders = Executors.newFixedThreadPool(8);
        for (int thread = 0; thread < 8; thread++) {
            senders.execute(() -> {
                for (int i = 0; i < 500; i++) {
                    try {
                        Lane lane = lanes.take(in(Duration.ofSeconds(10)));
                        mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
                        held.decrementAndGet();
                        if (ThreadLocalRandom.current().nextInt(10) == 0) {
                            lanes.discard(lane);
                        } else {
                            lanes.giveBack(lane);
                        }
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            });
        }
        senders.shutdown();
        assertTrue(senders.awaitTermination(60, TimeUnit.SECONDS));

        assertEquals(List.of(), failures);
        assertTrue(mostHeld.get() <= 3, "at most three lanes held at once: " + mostHeld);
        assertTrue(unclosed.size() <= 3, "the discarded lanes were closed: " + unclosed.size() + " open");
        for (int i = 0; i < 3; i++) {
            lanes.take(soon()); // none lost: three can be taken at once, opened again where discarded
        }
        assertEquals(3, unclosed.size());
        assertThrows(SmtpClient.NoLaneFree.class, () -> lanes.take(in(Duration.ofMillis(50))), "and no fourth");
    }
}
