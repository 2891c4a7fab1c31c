package io.incidentcomms.delivery;

import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.incidentcomms.audience.Masking;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.ext.mail.MailClient;

/**
 * The SMTP connections as lanes: a mail client with a pool of one connection, used by one send at
 * a time, and the event-loop context every step of that client runs on (its connects, its pool's
 * timers, its sends). Lanes are opened when first needed; one whose send was cut off is closed,
 * and another is opened in its place when next needed.
 */
final class SmtpLanes {

    private static final Logger LOG = Logger.getLogger(SmtpLanes.class);
    /** How often a send waiting for a lane looks again: a lane closed or discarded does not wake it. */
    private static final long LOOK_AGAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** One mail client and the context it runs on. */
    record Lane(MailClient client, Context loop) {
    }

    private final Vertx vertx;
    private final Supplier<MailClient> clients;
    private final BlockingQueue<Lane> idle = new LinkedBlockingQueue<>();
    private final Set<Lane> open = ConcurrentHashMap.newKeySet();
    /** Places for lanes not open now: each is opened by the next send that finds no lane idle. */
    private final AtomicInteger unopened;
    private volatile boolean closed;

    /** {@code clients} makes a mail client whose pool holds one connection; it is called on the lane's context. */
    SmtpLanes(Vertx vertx, int lanes, Supplier<MailClient> clients) {
        this.vertx = vertx;
        this.clients = clients;
        this.unopened = new AtomicInteger(lanes);
    }

    /**
     * A lane no other send uses, opening one if fewer are open than allowed. Throws
     * {@link SmtpClient.NoLaneFree} when none is free before {@code byNanos} (of
     * {@link System#nanoTime()}), when one cannot be set up, or once the lanes are closed.
     */
    Lane take(long byNanos) {
        while (!closed) {
            Lane free = idle.poll();
            if (free != null) {
                return free;
            }
            if (claimPlace()) {
                return openLane(byNanos);
            }
            long left = byNanos - System.nanoTime();
            if (left <= 0) {
                throw new SmtpClient.NoLaneFree("every SMTP connection was busy");
            }
            try {
                Lane freed = idle.poll(Math.min(left, LOOK_AGAIN_NANOS), TimeUnit.NANOSECONDS);
                if (freed != null) {
                    return freed;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SmtpClient.NoLaneFree("interrupted while waiting for an SMTP connection");
            }
        }
        throw new SmtpClient.NoLaneFree("the service is stopping");
    }

    /** Its send is over, answered or refused: the next send may use it (or, once the lanes are closed, it is closed). */
    void giveBack(Lane lane) {
        idle.add(lane);
        if (closed && idle.remove(lane)) {
            closeLane(lane);
        }
    }

    /** Its send was cut off and may still hold the connection: it is closed, and another opened when needed. */
    void discard(Lane lane) {
        closeLane(lane);
        unopened.incrementAndGet();
    }

    /** On shutdown: idle lanes are closed now, each busy one when its send gives it back. */
    void close() {
        closed = true;
        for (Lane lane = idle.poll(); lane != null; lane = idle.poll()) {
            closeLane(lane);
        }
    }

    private boolean claimPlace() {
        while (true) {
            int places = unopened.get();
            if (places <= 0) {
                return false;
            }
            if (unopened.compareAndSet(places, places - 1)) {
                return true;
            }
        }
    }

    /** Opens a lane in a place already claimed; the place is given back if it cannot be. */
    private Lane openLane(long byNanos) {
        // a context of its own, on one of the event loops in turn (Vert.x 4 internal API: check it on upgrades)
        Context loop = ((VertxInternal) vertx).createEventLoopContext();
        CompletableFuture<MailClient> made = new CompletableFuture<>();
        loop.runOnContext(start -> {
            try {
                MailClient client = clients.get();
                if (!made.complete(client)) {
                    client.close(); // made too late: the send gave up on it
                }
            } catch (RuntimeException e) {
                made.completeExceptionally(e);
            }
        });
        try {
            Lane lane = new Lane(made.get(Math.max(0, byNanos - System.nanoTime()), TimeUnit.NANOSECONDS), loop);
            open.add(lane);
            return lane;
        } catch (ExecutionException | TimeoutException | InterruptedException | RuntimeException e) {
            made.cancel(false);
            unopened.incrementAndGet();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.errorf("An SMTP connection could not be set up: %s", Masking.inText(cause.toString()));
            throw new SmtpClient.NoLaneFree("an SMTP connection could not be set up: " + cause.getMessage());
        }
    }

    private void closeLane(Lane lane) {
        if (open.remove(lane)) {
            lane.client().close();
        }
    }
}
