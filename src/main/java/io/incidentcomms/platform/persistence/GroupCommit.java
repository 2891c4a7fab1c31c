package io.incidentcomms.platform.persistence;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Writes what many threads hand in a group at a time, on a thread of its own (group commit). A
 * caller hands in its item and goes on; the writer waits until {@code largest} items are in, the
 * oldest of them has waited {@code linger}, or someone asks for a {@link #flush()}, then writes
 * them in one call of {@code writeAll} and completes each caller's future with its own answer.
 * So a busy system pays for one transaction per group instead of per item, the callers' threads
 * never wait for the database, and an idle one pays at most the linger in latency.
 *
 * @param <T> what is recorded
 * @param <R> what each item's write answers
 */
public final class GroupCommit<T, R> {

    private final String name;
    private final Function<List<T>, List<R>> writeAll;
    private final int largest;
    private final long lingerNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Pending<T, R>> waiting = new ArrayDeque<>();
    /** Items handed in so far; each gets the next number. */
    private long handedIn;
    /** Items up to this number are written without lingering (a flush asked for them). */
    private long flushThrough;
    /** When the oldest item of the group being written was handed in (System.nanoTime), if one is. */
    private Long writingSince;
    private Thread writer;

    private record Pending<T, R>(long number, T item, long since, CompletableFuture<R> answer) {
    }

    /**
     * @param name     the writer thread's name
     * @param writeAll writes a group in one transaction and answers per item, in the group's order;
     *        if it throws, every item of the group fails with it
     * @param largest  most items written in one group
     * @param linger   longest an item waits for others to join its group
     */
    public GroupCommit(String name, Function<List<T>, List<R>> writeAll, int largest, Duration linger) {
        this.name = name;
        this.writeAll = writeAll;
        this.largest = largest;
        this.lingerNanos = linger.toNanos();
    }

    /** Hands the item in; the future completes with what its write answered, or with what the group's write threw. */
    public CompletableFuture<R> submit(T item) {
        CompletableFuture<R> answer = new CompletableFuture<>();
        lock.lock();
        try {
            if (writer == null || !writer.isAlive()) {
                writer = new Thread(this::writeForever, name);
                writer.setDaemon(true);
                writer.start();
            }
            waiting.add(new Pending<>(++handedIn, item, System.nanoTime(), answer));
            if (waiting.size() == 1 || waiting.size() == largest) {
                arrived.signal();
            }
        } finally {
            lock.unlock();
        }
        return answer;
    }

    /** Writes what waits now without lingering (the caller is about to wait for it); what comes later lingers again. */
    public void flush() {
        lock.lock();
        try {
            flushThrough = handedIn;
            if (!waiting.isEmpty()) {
                arrived.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether writing keeps up: no item handed in longer than {@code stalledAfter} ago is still
     * unwritten. Waits, up to {@code deadlineNanos} (of {@link System#nanoTime()}), for that to
     * be so — while the database does not answer, callers stop adding to what is not stored.
     */
    public boolean awaitKeepingUp(Duration stalledAfter, long deadlineNanos) {
        while (true) {
            Long oldest = oldestUnwrittenSince();
            long now = System.nanoTime();
            if (oldest == null || now - oldest < stalledAfter.toNanos()) {
                return true;
            }
            if (now >= deadlineNanos) {
                return false;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(10, (deadlineNanos - now) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * Writes what waits without lingering and waits until it is written, up to {@code timeout}
     * (shutdown); returns whether everything handed in is written.
     */
    public boolean drain(Duration timeout) {
        flush();
        return awaitKeepingUp(Duration.ZERO, System.nanoTime() + timeout.toNanos());
    }

    /** When the oldest item not yet written was handed in (System.nanoTime); null when all are. */
    private Long oldestUnwrittenSince() {
        lock.lock();
        try {
            // a group being written holds the oldest items: the longest waiting are taken first
            return writingSince != null ? writingSince : waiting.isEmpty() ? null : waiting.peek().since();
        } finally {
            lock.unlock();
        }
    }

    /** How many items wait for the next write. */
    int waitingCount() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    private void writeForever() {
        while (true) {
            List<Pending<T, R>> group = nextGroup();
            try {
                List<R> answers = writeAll.apply(group.stream().map(Pending::item).toList());
                if (answers.size() != group.size()) {
                    throw new IllegalStateException(answers.size() + " answers for a group of " + group.size());
                }
                for (int i = 0; i < group.size(); i++) {
                    group.get(i).answer().complete(answers.get(i));
                }
            } catch (Throwable failure) {
                // the writer goes on with the next group whatever became of this one
                group.forEach(pending -> pending.answer().completeExceptionally(failure));
            } finally {
                lock.lock();
                try {
                    writingSince = null;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Waits for the next group to be due, and takes it: the longest waiting first, at most {@code largest}. */
    private List<Pending<T, R>> nextGroup() {
        lock.lock();
        try {
            while (true) {
                if (waiting.isEmpty()) {
                    arrived.awaitUninterruptibly();
                    continue;
                }
                Pending<T, R> oldest = waiting.peek();
                long waited = System.nanoTime() - oldest.since();
                if (oldest.number() <= flushThrough || waiting.size() >= largest || waited >= lingerNanos) {
                    break;
                }
                try {
                    arrived.awaitNanos(lingerNanos - waited);
                } catch (InterruptedException e) {
                    // the writer thread is never interrupted on purpose; it writes what waits and goes on
                    Thread.interrupted();
                }
            }
            List<Pending<T, R>> group = new ArrayList<>(Math.min(largest, waiting.size()));
            while (group.size() < largest && !waiting.isEmpty()) {
                group.add(waiting.poll());
            }
            writingSince = group.get(0).since();
            return group;
        } finally {
            lock.unlock();
        }
    }
}
