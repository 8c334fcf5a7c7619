package io.kakehashi.samples.machinetool;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The maker's machine gateway: appends one operation record per machine reading to a JSON Lines file, as a
 * controller gateway or log shipper would, which the maker's connector streams to its peers. Each record carries its
 * sequence number ({@code seq}, from 0) and the time it was written. Thread-safe; stop it with {@link #close()}.
 */
public final class TelemetryGateway implements AutoCloseable {

    private static final String[] MACHINES = {"NGY-VMC-01", "NGY-VMC-02", "NGY-HMC-01", "OSK-5AX-01"};

    private final BufferedWriter out;
    private final ScheduledExecutorService timer;
    private final SplittableRandom random = new SplittableRandom(20261123L);
    private final AtomicLong written = new AtomicLong();

    private TelemetryGateway(Path file, int recordsPerSecond) throws IOException {
        Files.createDirectories(file.getParent());
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "telemetry-gateway");
            thread.setDaemon(true);
            return thread;
        });
        var period = Math.max(1, 1_000_000 / recordsPerSecond);
        timer.scheduleAtFixedRate(this::writeOne, 0, period, TimeUnit.MICROSECONDS);
    }

    /** Starts appending {@code recordsPerSecond} records a second to {@code file}. */
    public static TelemetryGateway start(Path file, int recordsPerSecond) {
        try {
            return new TelemetryGateway(file, recordsPerSecond);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many records the gateway has written so far. */
    public long written() {
        return written.get();
    }

    private void writeOne() {
        var seq = written.get();
        var load = 15 + random.nextDouble() * 70;
        var line = String.format(Locale.ROOT,
                "{\"seq\":%d,\"at\":\"%s\",\"machine\":\"%s\",\"spindle_load_pct\":%.1f,\"vibration_mm_s\":%.2f,\"coolant_temp_c\":%.1f}",
                seq, Instant.now(), MACHINES[(int) (seq % MACHINES.length)], load, 0.4 + random.nextDouble() * (load > 75 ? 6.0 : 2.2),
                18 + random.nextDouble() * 14);
        try {
            out.write(line);
            out.write('\n');
            out.flush();
            written.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
