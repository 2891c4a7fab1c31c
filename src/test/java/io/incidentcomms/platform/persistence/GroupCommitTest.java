package io.incidentcomms.platform.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private static final Duration A_MINUTE = Duration.ofMinutes(1);

    @Test
    void aLoneItemIsWrittenOnceItHasLingeredAndGetsItsOwnAnswer() throws Exception {
        List<List<Integer>> groups = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, String> commit = new GroupCommit<>("test-writer", group -> {
            groups.add(group);
            return group.stream().map(i -> "stored " + i).toList();
        }, 10, Duration.ofMillis(20));

        assertEquals("stored 7", commit.submit(7).get(5, TimeUnit.SECONDS));
        assertEquals(List.of(List.of(7)), groups);
    }

    @Test
    void handingAnItemInNeverWaitsForTheWrite() throws Exception {
        CountDownLatch releaseWrite = new CountDownLatch(1);
        GroupCommit<Integer, Integer> commit = writingOnlyOnceReleased(releaseWrite, Duration.ZERO);

        CompletableFuture<Integer> first = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> commit.submit(1));
        CompletableFuture<Integer> second = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> commit.submit(2));

        assertFalse(first.isDone() || second.isDone(), "both were handed in while the write was held up");
        releaseWrite.countDown();
        assertEquals(1, first.get(5, TimeUnit.SECONDS));
        assertEquals(2, second.get(5, TimeUnit.SECONDS));
    }

    @Test
    void itemsHandedInWithinTheLingerAreWrittenTogetherAndAFullGroupGoesWithoutWaitingForTheLinger() throws Exception {
        List<List<Integer>> groups = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("test-writer", group -> {
            groups.add(group);
            return group.stream().map(i -> i * 10).toList();
        }, 8, A_MINUTE);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<CompletableFuture<Integer>>> handedIn = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                int item = i;
                handedIn.add(callers.submit(() -> commit.submit(item)));
            }
            for (int i = 1; i <= 8; i++) {
                assertEquals(i * 10, handedIn.get(i - 1).get().get(5, TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(1, groups.size(), "eight items, a group of eight: one write " + groups);
        assertEquals(8, groups.get(0).size());
    }

    @Test
    void aFlushWritesWhatWaitsWithoutLingering() throws Exception {
        List<List<Integer>> groups = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("test-writer", group -> {
            groups.add(group);
            return group;
        }, 100, A_MINUTE);
        List<CompletableFuture<Integer>> answers = List.of(commit.submit(1), commit.submit(2), commit.submit(3));
        waitUntil(() -> commit.waitingCount() == 3);

        commit.flush();

        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, answers.get(i).get(5, TimeUnit.SECONDS));
        }
        assertEquals(List.of(List.of(1, 2, 3)), groups);
    }

    @Test
    void aFlushIsForWhatWaitsThenAndWhatComesLaterLingersAgain() throws Exception {
        CountDownLatch flushedWriteStarted = new CountDownLatch(1);
        CountDownLatch releaseFlushedWrite = new CountDownLatch(1);
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("test-writer", group -> {
            if (group.contains(1)) {
                flushedWriteStarted.countDown();
                await(releaseFlushedWrite);
            }
            return group;
        }, 100, A_MINUTE);
        CompletableFuture<Integer> flushed = commit.submit(1);
        commit.flush();
        await(flushedWriteStarted);
        // handed in while the flushed write is under way: by then nothing waits, but this came after the flush
        CompletableFuture<Integer> later = commit.submit(2);
        releaseFlushedWrite.countDown();
        assertEquals(1, flushed.get(5, TimeUnit.SECONDS));

        Thread.sleep(300);
        assertFalse(later.isDone(), "an item after the flush waits for its linger");
        commit.flush();
        assertEquals(2, later.get(5, TimeUnit.SECONDS));
    }

    @Test
    void whileAWriteHangsCallersAreToldWritingDoesNotKeepUpAndAreToldWhenItDoesAgain() throws Exception {
        CountDownLatch releaseWrite = new CountDownLatch(1);
        GroupCommit<Integer, Integer> commit = writingOnlyOnceReleased(releaseWrite, Duration.ZERO);
        assertTrue(commit.awaitKeepingUp(Duration.ofMillis(50), System.nanoTime()), "nothing handed in: it keeps up");
        CompletableFuture<Integer> hanging = commit.submit(1);
        Thread.sleep(100);

        assertFalse(commit.awaitKeepingUp(Duration.ofMillis(50), System.nanoTime() + 200_000_000L));

        releaseWrite.countDown();
        assertEquals(1, hanging.get(5, TimeUnit.SECONDS));
        assertTrue(commit.awaitKeepingUp(Duration.ofMillis(50), System.nanoTime() + 5_000_000_000L));
    }

    @Test
    void drainingWritesWhatWaitsWithoutLingeringAndSaysWhetherAllIsStored() throws Exception {
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("test-writer", group -> group, 100, A_MINUTE);
        List<CompletableFuture<Integer>> answers = List.of(commit.submit(1), commit.submit(2));

        assertTrue(commit.drain(Duration.ofSeconds(5)));
        assertTrue(answers.stream().allMatch(CompletableFuture::isDone), answers.toString());

        CountDownLatch never = new CountDownLatch(1);
        GroupCommit<Integer, Integer> stuck = writingOnlyOnceReleased(never, A_MINUTE);
        stuck.submit(3);
        assertFalse(stuck.drain(Duration.ofMillis(200)), "a write that hangs is not waited for past the timeout");
        never.countDown();
    }

    @Test
    void anErrorThrownByAWriteFailsItsGroupAndTheWriterGoesOn() throws Exception {
        aWriteThrowingFailsTheGroupWithItAndTheNextWriteGoesOn(new OutOfMemoryError("simulated"));
    }

    @Test
    void noGroupIsLargerThanTheLimitAndEveryItemIsWrittenExactlyOnce() throws Exception {
        List<Integer> written = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger largestGroup = new AtomicInteger();
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("test-writer", group -> {
            largestGroup.accumulateAndGet(group.size(), Math::max);
            written.addAll(group);
            sleep(2);
            return group;
        }, 4, Duration.ofMillis(1));
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<CompletableFuture<Integer>>> answers = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                int item = i;
                answers.add(callers.submit(() -> commit.submit(item)));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertEquals(i, answers.get(i).get().get(30, TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(2_000, written.size());
        assertEquals(2_000, written.stream().distinct().count());
        assertTrue(largestGroup.get() <= 4, "largest group " + largestGroup.get());
        assertTrue(largestGroup.get() > 1, "sixteen callers against a slow write were grouped");
    }

    @Test
    void aFailedWriteFailsEveryItemOfItsGroupAndTheNextWriteGoesOn() throws Exception {
        aWriteThrowingFailsTheGroupWithItAndTheNextWriteGoesOn(new IllegalStateException("refused"));
    }

    private static void aWriteThrowingFailsTheGroupWithItAndTheNextWriteGoesOn(Throwable thrown) throws Exception {
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("test-writer", group -> {
            if (group.contains(13) && thrown instanceof Error error) {
                throw error;
            }
            if (group.contains(13)) {
                throw (RuntimeException) thrown;
            }
            return group;
        }, 10, Duration.ZERO);

        ExecutionException failed = assertThrows(ExecutionException.class, () -> commit.submit(13).get(5, TimeUnit.SECONDS));
        assertSame(thrown, failed.getCause());
        assertEquals(14, commit.submit(14).get(5, TimeUnit.SECONDS));
    }

    @Test
    void aWriteAnsweringForTooFewItemsFailsInsteadOfGivingAnyoneAnotherOnesAnswer() {
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("test-writer", group -> List.of(), 10, Duration.ZERO);

        ExecutionException failed = assertThrows(ExecutionException.class, () -> commit.submit(1).get(5, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof IllegalStateException, failed.toString());
    }

    /** A group commit whose every write waits for {@code release}. */
    private static GroupCommit<Integer, Integer> writingOnlyOnceReleased(CountDownLatch release, Duration linger) {
        return new GroupCommit<>("test-writer", group -> {
            await(release);
            return group;
        }, 10, linger);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met in 5 s");
            Thread.sleep(5);
        }
    }
}
