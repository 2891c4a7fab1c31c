package io.incidentcomms.platform.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class GroupCommitTest {

    @Test
    void aLoneCallerIsWrittenAtOnceAndGetsItsOwnAnswer() {
        List<List<Integer>> groups = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, String> commit = new GroupCommit<>(group -> {
            groups.add(group);
            return group.stream().map(i -> "stored " + i).toList();
        }, 10);

        assertEquals("stored 7", commit.record(7));
        assertEquals(List.of(List.of(7)), groups);
    }

    @Test
    void callersArrivingDuringAWriteAreWrittenTogetherInTheNextAndEachGetsItsOwnAnswer() throws Exception {
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstWrite = new CountDownLatch(1);
        List<List<Integer>> groups = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(group -> {
            groups.add(group);
            if (group.contains(0)) {
                firstWriteStarted.countDown();
                await(releaseFirstWrite);
            }
            return group.stream().map(i -> i * 10).toList();
        }, 100);
        ExecutorService callers = Executors.newFixedThreadPool(9);
        try {
            Future<Integer> first = callers.submit(() -> commit.record(0));
            await(firstWriteStarted);
            List<Future<Integer>> later = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                int item = i;
                later.add(callers.submit(() -> commit.record(item)));
            }
            waitUntil(() -> commit.waitingCount() == 8);
            releaseFirstWrite.countDown();

            assertEquals(0, first.get(5, TimeUnit.SECONDS));
            for (int i = 1; i <= 8; i++) {
                assertEquals(i * 10, later.get(i - 1).get(5, TimeUnit.SECONDS));
            }
            assertEquals(2, groups.size(), "one write for the first caller, one for the eight that came meanwhile: " + groups);
            assertEquals(8, groups.get(1).size());
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void noGroupIsLargerThanTheLimitAndEveryItemIsWrittenExactlyOnce() throws Exception {
        List<Integer> written = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger largestGroup = new AtomicInteger();
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(group -> {
            largestGroup.accumulateAndGet(group.size(), Math::max);
            written.addAll(group);
            sleep(2);
            return group;
        }, 4);
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                int item = i;
                answers.add(callers.submit(() -> commit.record(item)));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertEquals(i, answers.get(i).get(30, TimeUnit.SECONDS));
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
    void aFailedWriteFailsEveryCallerOfItsGroupAndTheNextWriteGoesOn() {
        IllegalStateException refused = new IllegalStateException("refused");
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(group -> {
            if (group.contains(13)) {
                throw refused;
            }
            return group;
        }, 10);

        assertSame(refused, assertThrows(IllegalStateException.class, () -> commit.record(13)));
        assertEquals(14, commit.record(14));
    }

    @Test
    void aWriteAnsweringForTooFewItemsFailsInsteadOfGivingAnyoneAnotherOnesAnswer() {
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(group -> List.of(), 10);

        assertThrows(IllegalStateException.class, () -> commit.record(1));
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
