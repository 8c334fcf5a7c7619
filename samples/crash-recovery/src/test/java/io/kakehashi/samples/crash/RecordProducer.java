package io.kakehashi.samples.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A machine's gateway for one record stream: appends a JSON Lines record carrying its sequence number
 * ({@code {"seq":N,…}}) to a file every few milliseconds, on a daemon thread, until closed. The receiver checks that
 * its copy holds 0, 1, 2, … with none lost and none twice ({@link #sequenceErrors}).
 * <p>
 * Thread-safe.
 */
final class RecordProducer implements AutoCloseable {

    private final Path file;
    private final AtomicLong written = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private RecordProducer(Path file, long intervalMillis) {
        this.file = file;
        this.thread = new Thread(() -> run(intervalMillis), "record-producer-" + file.getFileName());
        thread.setDaemon(true);
    }

    /** Starts appending to {@code file} (created empty) a record every {@code intervalMillis}. */
    static RecordProducer start(Path file, long intervalMillis) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var producer = new RecordProducer(file, intervalMillis);
        producer.thread.start();
        return producer;
    }

    private void run(long intervalMillis) {
        try (var out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
            while (running) {
                var seq = written.get();
                var line = "{\"seq\":%d,\"machine\":\"mc-%d\",\"spindleRpm\":%d,\"pad\":\"%s\"}\n"
                        .formatted(seq, seq % 8, 8000 + seq % 500, "x".repeat(64));
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.flush();
                written.incrementAndGet();
                Thread.sleep(intervalMillis);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many records it has written so far. */
    long written() {
        return written.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The number of complete lines in a received file (0 when it does not exist). */
    static long lines(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What is wrong with a received copy's numbering, or an empty string when record i carries sequence i for every
     * i: the first position where a record is missing or repeated, and the count of such positions.
     */
    static String sequenceErrors(Path file) {
        if (!Files.exists(file)) {
            return "no file received";
        }
        try (var lines = Files.lines(file)) {
            var position = new long[1];
            var first = new String[1];
            var errors = lines.filter(line -> {
                var expected = position[0]++;
                if (line.startsWith("{\"seq\":" + expected + ",")) {
                    return false;
                }
                if (first[0] == null) {
                    first[0] = "record %d is %s".formatted(expected, line.length() > 24 ? line.substring(0, 24) + "…" : line);
                }
                return true;
            }).count();
            return errors == 0 ? "" : "%d of %d records out of sequence (lost or repeated); first: %s".formatted(errors, position[0], first[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
