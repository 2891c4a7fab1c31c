package io.incidentcomms.platform.persistence;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Writes what many threads record at about the same time in one go (group commit): a caller
 * hands in its item and waits until it is written; whoever finds no write under way writes
 * everything waiting by then, in one call of {@code writeAll}, while those arriving meanwhile
 * queue up for the next. So each caller returns only once its own item is stored, as if it had
 * written it alone, but a busy system pays for one transaction per group instead of per item.
 * An idle one pays nothing extra: a lone caller writes at once.
 *
 * @param <T> what is recorded
 * @param <R> what each item's write answers
 */
public final class GroupCommit<T, R> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private final Function<List<T>, List<R>> writeAll;
    private final int largest;
    private final ArrayDeque<Waiting<T, R>> waiting = new ArrayDeque<>();
    private boolean writing;

    private static final class Waiting<T, R> {
        final T item;
        boolean done;
        R answer;
        RuntimeException failure;

        Waiting(T item) {
            this.item = item;
        }
    }

    /**
     * @param writeAll writes a group in one transaction and answers per item, in the group's order;
     *        if it throws, every item of the group fails with it
     * @param largest  most items written in one group
     */
    public GroupCommit(Function<List<T>, List<R>> writeAll, int largest) {
        this.writeAll = writeAll;
        this.largest = largest;
    }

    /** Records the item, written alone or with others; returns what its write answered, or throws what the group's write threw. */
    public R record(T item) {
        Waiting<T, R> mine = new Waiting<>(item);
        lock.lock();
        try {
            waiting.add(mine);
            while (!mine.done) {
                if (writing) {
                    written.awaitUninterruptibly();
                    continue;
                }
                writing = true;
                List<Waiting<T, R>> group = takeGroup(mine);
                lock.unlock();
                List<R> answers = null;
                RuntimeException failure = null;
                try {
                    List<R> given = writeAll.apply(group.stream().map(w -> w.item).toList());
                    if (given.size() != group.size()) {
                        throw new IllegalStateException(given.size() + " answers for a group of " + group.size());
                    }
                    answers = given;
                } catch (RuntimeException e) {
                    failure = e;
                } finally {
                    lock.lock();
                    writing = false;
                    for (int i = 0; i < group.size(); i++) {
                        Waiting<T, R> w = group.get(i);
                        w.done = true;
                        w.failure = failure;
                        w.answer = answers == null ? null : answers.get(i);
                    }
                    written.signalAll();
                }
            }
            if (mine.failure != null) {
                throw mine.failure;
            }
            return mine.answer;
        } finally {
            lock.unlock();
        }
    }

    /** How many callers wait for the next write. */
    int waitingCount() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** The caller's own item and up to {@code largest - 1} of those waiting longest. */
    private List<Waiting<T, R>> takeGroup(Waiting<T, R> mine) {
        waiting.remove(mine);
        List<Waiting<T, R>> group = new ArrayList<>(Math.min(largest, waiting.size() + 1));
        group.add(mine);
        while (group.size() < largest && !waiting.isEmpty()) {
            group.add(waiting.poll());
        }
        return group;
    }
}
