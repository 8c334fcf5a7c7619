package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file store's group commit: concurrent appends share flushes, each is acknowledged only after a flush that covers
 * it, a failed flush takes back (and fails) exactly the entries it should have made durable, and a process killed
 * mid-batch leaves a chain that verifies and holds every entry it acknowledged.
 */
class FileGroupCommitTest {

    private static final int THREADS = 32;
    private static final Monitor MONITOR = new Monitor() { };

    @TempDir
    Path directory;
    private FileDecisionLogStore store;

    @BeforeEach
    void open() {
        store = FileDecisionLogStore.open(directory.resolve("decisions.jsonl"), MONITOR);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void concurrentAppends_shouldShareFlushesAndKeepOneVerifiableOrder() throws Exception {
        var flushes = new AtomicInteger();
        var first = new CountDownLatch(1);
        store.forceWith(channel -> {
            // the first flush waits until every thread has written its entry, so that the next flush has many to cover
            if (flushes.incrementAndGet() == 1) {
                awaitWritten(THREADS);
            }
            channel.force(true);
        });

        var stored = appendAtOnce(THREADS);

        assertThat(stored).allSatisfy(result -> assertThat(result).isInstanceOf(StoredDecision.class));
        assertThat(flushes.get()).as("flushes for %d appends", THREADS).isLessThanOrEqualTo(2);
        assertThat(store.head().sequence()).isEqualTo(THREADS);
        assertThat(ChainVerifier.verify(store).intact()).isTrue();
        assertThat(ChainVerifier.verify(store).entriesChecked()).isEqualTo(THREADS);
        // each acknowledged entry is in the log, at its sequence, with its hash
        for (var result : stored) {
            var acknowledged = (StoredDecision) result;
            assertThat(store.read(acknowledged.sequence()).getContent()).isEqualTo(acknowledged);
        }
        first.countDown();
    }

    @Test
    void failedFlush_shouldFailExactlyTheEntriesItCoveredAndContinueTheChainFromTheLastDurableOne() throws Exception {
        for (int i = 0; i < 5; i++) {
            store.append(entry(i));
        }
        var failed = new AtomicInteger();
        store.forceWith(channel -> {
            if (failed.getAndIncrement() == 0) {
                awaitWritten(5 + THREADS);
                throw new IOException("device error (simulated)");
            }
            channel.force(true);
        });

        var results = appendAtOnce(THREADS);

        assertThat(results).allSatisfy(result -> assertThat(result).isInstanceOf(EdcPersistenceException.class));
        assertThat(store.head().sequence()).isEqualTo(5);
        assertThat(store.readRange(1, 100)).hasSize(5);

        var next = store.append(entry(99));
        assertThat(next.sequence()).isEqualTo(6);
        assertThat(next.previousHash()).isEqualTo(store.read(5).getContent().hash());
        store.close();
        store = FileDecisionLogStore.open(directory.resolve("decisions.jsonl"), MONITOR);
        assertThat(store.head().sequence()).isEqualTo(6);
        assertThat(ChainVerifier.verify(store).intact()).isTrue();
    }

    @Test
    void headAndReads_shouldNotSeeAnEntryBeforeItIsDurable() throws Exception {
        store.append(entry(0));
        var release = new CountDownLatch(1);
        var flushing = new CountDownLatch(1);
        store.forceWith(channel -> {
            flushing.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            channel.force(true);
        });
        var executor = Executors.newSingleThreadExecutor();
        try {
            var pending = executor.submit(() -> store.append(entry(1)));
            assertThat(flushing.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(store.head().sequence()).isEqualTo(1);
            assertThat(store.readRange(1, 10)).hasSize(1);

            release.countDown();
            assertThat(pending.get(30, TimeUnit.SECONDS).sequence()).isEqualTo(2);
            assertThat(store.head().sequence()).isEqualTo(2);
        } finally {
            release.countDown();
            executor.shutdownNow();
        }
    }

    @Test
    void append_whenInterruptedWhileWaitingForAFlush_shouldWaitOnWithoutSpinningAndKeepTheInterrupt() throws Exception {
        var release = new CountDownLatch(1);
        var flushing = new CountDownLatch(1);
        store.forceWith(channel -> {
            flushing.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            channel.force(true);
        });
        var executor = Executors.newSingleThreadExecutor();
        try {
            var leader = executor.submit(() -> store.append(entry(0)));
            assertThat(flushing.await(30, TimeUnit.SECONDS)).isTrue();
            var result = new java.util.concurrent.atomic.AtomicReference<StoredDecision>();
            var interruptedAfter = new java.util.concurrent.atomic.AtomicBoolean();
            var waiting = new Thread(() -> {
                result.set(store.append(entry(1)));
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
            waiting.start();
            awaitWritten(2);
            awaitState(waiting, Thread.State.WAITING);

            waiting.interrupt();
            Thread.sleep(50);
            var runnable = 0;
            for (int i = 0; i < 50; i++) {
                runnable += waiting.getState() == Thread.State.RUNNABLE ? 1 : 0;
                Thread.sleep(2);
            }

            // parked again, not returning from park over and over
            assertThat(runnable).as("samples of the interrupted waiter found running").isLessThanOrEqualTo(2);
            assertThat(result.get()).isNull();
            release.countDown();
            assertThat(leader.get(30, TimeUnit.SECONDS).sequence()).isEqualTo(1);
            waiting.join(30_000);
            assertThat(result.get().sequence()).isEqualTo(2);
            assertThat(interruptedAfter.get()).isTrue();
        } finally {
            release.countDown();
            executor.shutdownNow();
        }
    }

    private static void awaitState(Thread thread, Thread.State state) {
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (thread.getState() != state && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    @Test
    void processKilledMidBatch_shouldLeaveAVerifiableChainHoldingEveryAcknowledgedEntry() throws Exception {
        store.close();
        var file = directory.resolve("decisions.jsonl");
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), GroupCommitAppender.class.getName(), file.toString(),
                Integer.toString(THREADS)).redirectErrorStream(true).start();
        Map<Long, String> acknowledged = new HashMap<>();
        try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged.size() < 3000 && (line = reader.readLine()) != null) {
                var parts = line.split(" ");
                if (parts.length == 3 && parts[0].equals("acknowledged")) {
                    acknowledged.put(Long.parseLong(parts[1]), parts[2]);
                }
            }
            // the appenders are mid-batch: killed without a chance to finish anything
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(3000);

        store = FileDecisionLogStore.open(file, MONITOR);

        var verification = ChainVerifier.verify(store);
        assertThat(verification.intact()).as(verification.toString()).isTrue();
        acknowledged.forEach((sequence, hash) -> assertThat(store.read(sequence).getContent().hash()).as("entry %d", sequence).isEqualTo(hash));
        // the chain continues from what the killed process left
        assertThat(store.append(entry(0)).sequence()).isEqualTo(verification.entriesChecked() + 1);
    }

    private void awaitWritten(int lines) {
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (store.writtenCount() < lines && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    /**
     * Appends one entry from each of {@code threads} threads, started together; each result is the stored entry or the
     * exception the append threw.
     */
    private List<Object> appendAtOnce(int threads) throws InterruptedException, ExecutionException {
        var executor = Executors.newFixedThreadPool(threads);
        try {
            var go = new CountDownLatch(1);
            var futures = new ArrayList<Future<Object>>();
            for (int t = 0; t < threads; t++) {
                var i = t;
                futures.add(executor.submit(() -> {
                    go.await();
                    try {
                        return store.append(entry(i));
                    } catch (EdcPersistenceException e) {
                        return e;
                    }
                }));
            }
            go.countDown();
            var results = new ArrayList<Object>();
            for (var future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("appends did not finish", e);
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * The child process of the kill test: {@code threads} threads appending to the store at {@code path} until killed,
     * printing {@code acknowledged <sequence> <hash>} for each append once it has returned.
     */
    public static final class GroupCommitAppender {
        public static void main(String[] args) {
            var store = FileDecisionLogStore.open(Path.of(args[0]), new Monitor() { });
            var threads = Integer.parseInt(args[1]);
            var out = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
            var seen = ConcurrentHashMap.<Long>newKeySet();
            for (int t = 0; t < threads; t++) {
                var thread = new Thread(() -> {
                    for (int i = 0; ; i++) {
                        var stored = store.append(entry(i));
                        seen.add(stored.sequence());
                        synchronized (out) {
                            out.println("acknowledged " + stored.sequence() + " " + stored.hash());
                        }
                    }
                });
                thread.start();
            }
        }
    }
}
