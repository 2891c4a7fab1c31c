package io.incidentcomms.delivery;

import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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

    /** One mail client and the context it runs on. */
    record Lane(MailClient client, Context loop) {
    }

    private final Vertx vertx;
    private final Supplier<MailClient> clients;
    private final BlockingQueue<Lane> idle = new LinkedBlockingQueue<>();
    private final Set<Lane> open = ConcurrentHashMap.newKeySet();
    /** Lanes to open before waiting for one to come free. */
    private final AtomicInteger unopened;
    private volatile boolean closed;

    /** {@code clients} makes a mail client whose pool holds one connection; it is called on the lane's context. */
    SmtpLanes(Vertx vertx, int lanes, Supplier<MailClient> clients) {
        this.vertx = vertx;
        this.clients = clients;
        this.unopened = new AtomicInteger(lanes);
    }

    /**
     * A lane no other send uses, opening one if fewer are open than allowed; null when none is
     * free before {@code byNanos} (of {@link System#nanoTime()}) or the lanes are closed.
     */
    Lane take(long byNanos) {
        while (!closed) {
            Lane free = idle.poll();
            if (free != null) {
                return free;
            }
            if (unopened.getAndDecrement() > 0) {
                try {
                    return openLane();
                } catch (RuntimeException e) {
                    unopened.incrementAndGet();
                    LOG.errorf("An SMTP connection could not be set up: %s", Masking.inText(e.toString()));
                    return null;
                }
            }
            unopened.incrementAndGet();
            try {
                Lane freed = idle.poll(Math.min(100, Math.max(0, byNanos - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (freed != null) {
                    return freed;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            if (System.nanoTime() >= byNanos) {
                return null;
            }
        }
        return null;
    }

    /** Its send is over, answered or refused: the next send may use it. */
    void giveBack(Lane lane) {
        if (closed) {
            close(lane);
        } else {
            idle.add(lane);
        }
    }

    /** Its send was cut off and may still hold the connection: it is closed, and another opened when needed. */
    void discard(Lane lane) {
        close(lane);
        unopened.incrementAndGet();
    }

    /** On shutdown: every lane is closed; a send still running closes its own when it ends. */
    void close() {
        closed = true;
        open.forEach(this::close);
        idle.clear();
    }

    private Lane openLane() {
        Context loop = ((VertxInternal) vertx).createEventLoopContext();
        CompletableFuture<MailClient> client = new CompletableFuture<>();
        loop.runOnContext(start -> {
            try {
                client.complete(clients.get());
            } catch (RuntimeException e) {
                client.completeExceptionally(e);
            }
        });
        Lane lane = new Lane(client.orTimeout(10, TimeUnit.SECONDS).join(), loop);
        open.add(lane);
        return lane;
    }

    private void close(Lane lane) {
        if (open.remove(lane)) {
            lane.client().close();
        }
    }
}
