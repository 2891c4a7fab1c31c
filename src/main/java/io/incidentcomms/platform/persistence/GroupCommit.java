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
    /** Everything waiting is written without lingering, until nothing waits. */
    private boolean flushing;
    private Thread writer;

    private record Pending<T, R>(T item, long since, CompletableFuture<R> answer) {
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
            if (writer == null) {
                writer = new Thread(this::writeForever, name);
                writer.setDaemon(true);
                writer.start();
            }
            waiting.add(new Pending<>(item, System.nanoTime(), answer));
            if (waiting.size() == 1 || waiting.size() == largest) {
                arrived.signal();
            }
        } finally {
            lock.unlock();
        }
        return answer;
    }

    /** Writes what waits now without lingering (the caller is about to wait for it). */
    public void flush() {
        lock.lock();
        try {
            if (!waiting.isEmpty()) {
                flushing = true;
                arrived.signal();
            }
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
            } catch (RuntimeException | Error failure) {
                group.forEach(pending -> pending.answer().completeExceptionally(failure));
            }
        }
    }

    /** Waits for the next group to be due, and takes it: the longest waiting first, at most {@code largest}. */
    private List<Pending<T, R>> nextGroup() {
        lock.lock();
        try {
            while (true) {
                if (waiting.isEmpty()) {
                    flushing = false;
                    arrived.awaitUninterruptibly();
                    continue;
                }
                long waited = System.nanoTime() - waiting.peek().since();
                if (flushing || waiting.size() >= largest || waited >= lingerNanos) {
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
            return group;
        } finally {
            lock.unlock();
        }
    }
}
