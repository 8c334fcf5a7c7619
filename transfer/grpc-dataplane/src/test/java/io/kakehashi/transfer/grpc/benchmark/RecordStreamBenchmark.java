package io.kakehashi.transfer.grpc.benchmark;

import io.grpc.Status;
import io.kakehashi.transfer.grpc.GrpcChannels;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.GrpcTransferServer;
import io.kakehashi.transfer.grpc.TestTokens;
import io.kakehashi.transfer.grpc.TransferRegistry;
import io.kakehashi.transfer.grpc.auth.TransferAuthorization;
import io.kakehashi.transfer.spi.GrpcStreamAddresses;
import io.kakehashi.transfer.grpc.meter.TransferLimits;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import io.kakehashi.transfer.grpc.stream.RecordFiles;
import io.kakehashi.transfer.grpc.stream.RecordPump;
import io.kakehashi.transfer.grpc.stream.RecordSink;
import io.kakehashi.transfer.spi.RecordSource;
import io.kakehashi.transfer.grpc.stream.RecordStream;
import io.kakehashi.transfer.grpc.stream.RecordStreamService;
import io.kakehashi.transfer.grpc.stream.RecordSubscription;
import io.kakehashi.transfer.grpc.tls.GrpcTlsIdentity;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real-time streams on loopback over TLS (the Netty transport, both ends in this JVM): records per second and delivery
 * latency of small (about 200-byte) JSON records, from an in-process source and from a JSON Lines file that a producer
 * thread appends to. Each record carries the producer's timestamp ({@code System.nanoTime()} when it made the record
 * or wrote its line); the consumer's sink subtracts it from its own time of receipt, so the latency is producer to
 * consumer's sink, the gRPC call, TLS, the provider's stream and (for the file) the file system and the source's
 * polling included. The producers are paced by a schedule; on a busy machine a late wake-up delays a record's
 * making, not its latency. Run from the repository root:
 * <pre>
 * ./mvnw -q -f transfer/grpc-dataplane/pom.xml test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.kakehashi.transfer.grpc.benchmark.RecordStreamBenchmark -Dexec.args="1000,10000 10 300000"
 * </pre>
 * Arguments: the paced rates in records per second (comma-separated), seconds per paced run, records for the
 * throughput runs, the record file's poll interval in ms (default 10, the setting's default), {@code watch} (default) or
 * {@code poll} (the record-file source without file-system notifications), and a directory for the record file
 * (default: the temporary directory). The system property {@code kakehashi.transfer.grpc.stream.batch-bytes} sets the
 * provider's payload bytes per message (the setting of that name; default 65536, 1 sends one record per message).
 */
public final class RecordStreamBenchmark {

    private static final int RECORD_BYTES = 200;
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    /** Held so the level set on it stays (java.util.logging keeps loggers only weakly). */
    private static final java.util.logging.Logger NETTY_SERVER_LOG =
            java.util.logging.Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler");

    private final GrpcChannels channels = new GrpcChannels();
    private final TransferRegistry<RecordStream> streams = new TransferRegistry<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        var thread = new Thread(runnable);
        thread.setDaemon(true);
        return thread;
    });
    private final ConsoleMonitor monitor = new ConsoleMonitor(ConsoleMonitor.Level.WARNING, false);
    private final TestTokens tokens = new TestTokens();
    private final GrpcTransferConfig config = GrpcTransferConfig.defaults().withStreamBatchBytes(
            Integer.getInteger("kakehashi.transfer.grpc.stream.batch-bytes", GrpcTransferConfig.defaults().streamBatchBytes()));
    private final Path directory;
    private final Duration filePoll;
    private final boolean fileWatch;
    private final AtomicInteger transfers = new AtomicInteger();
    private io.grpc.Channel channel;

    private RecordStreamBenchmark(Path directory, Duration filePoll, boolean fileWatch) {
        this.directory = directory;
        this.filePoll = filePoll;
        this.fileWatch = fileWatch;
    }

    public static void main(String[] args) throws Exception {
        var rates = Arrays.stream((args.length > 0 ? args[0] : "1000,10000").split(",")).mapToInt(Integer::parseInt).toArray();
        var seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        var throughputRecords = args.length > 2 ? Integer.parseInt(args[2]) : 300_000;
        var filePoll = Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 10);
        var fileWatch = !(args.length > 4 && args[4].equals("poll"));
        var directory = args.length > 5 ? Files.createTempDirectory(Path.of(args[5]), "kakehashi-stream-benchmark")
                : Files.createTempDirectory("kakehashi-stream-benchmark");
        var results = new StringBuilder();
        // a call the benchmark cancels at the end of a run makes Netty warn about the record it could not write
        NETTY_SERVER_LOG.setLevel(java.util.logging.Level.SEVERE);
        var benchmark = new RecordStreamBenchmark(directory, filePoll, fileWatch);
        var identity = GrpcTlsIdentity.create("127.0.0.1", Clock.systemUTC());
        var authorization = new TransferAuthorization(benchmark.tokens, Clock.systemUTC());
        var meters = new TransferMeters(id -> TransferLimits.NONE, Clock.systemUTC());
        var server = new GrpcTransferServer("127.0.0.1", 0, identity.serverCredentials(), authorization,
                List.of(new RecordStreamService(authorization, benchmark.streams, new TransferRegistry<>(), meters, benchmark.config,
                        benchmark.executor, Clock.systemUTC(), benchmark.monitor))).start();
        try {
            benchmark.channel = benchmark.channels.channelTo(new GrpcStreamAddresses.Endpoint("127.0.0.1", server.port(), true, identity.fingerprint()));
            results.append("date: %s; TLS on loopback, both ends in one JVM; %d cores; records of %d bytes; record-file poll %d ms, %s;"
                    .formatted(Instant.now(), Runtime.getRuntime().availableProcessors(), RECORD_BYTES, filePoll.toMillis(),
                            fileWatch ? "woken by file-system notifications" : "polling only"))
                    .append(" up to %d records and %d payload bytes per message%n".formatted(RecordPump.MAX_BATCH_RECORDS,
                            benchmark.config.streamBatchBytes()));
            // warm-up (the JIT): a short unpaced and a short paced run of each source, not reported
            for (var file : new boolean[]{ false, true }) {
                benchmark.throughput(file, throughputRecords / 3);
                benchmark.paced(file, 2000, WARM_UP);
            }
            results.append(String.format(Locale.ROOT, "%-40s %12s %9s %9s %9s %9s%n", "run", "records/s", "p50 ms", "p99 ms", "max ms", "records"));
            for (var file : new boolean[]{ false, true }) {
                results.append(benchmark.throughput(file, throughputRecords).line());
                for (var rate : rates) {
                    results.append(benchmark.paced(file, rate, Duration.ofSeconds(seconds)).line());
                }
            }
            var load = Path.of("/proc/loadavg");
            if (Files.exists(load)) {
                results.append("load average after the runs: %s".formatted(Files.readString(load)));
            }
        } finally {
            benchmark.channels.close();
            server.stop();
            try (var files = Files.walk(directory)) {
                for (var file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
        System.out.print(results);
        var out = Path.of("target", "record-stream-benchmark.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, results, StandardCharsets.UTF_8);
        System.exit(0);
    }

    private record Result(String what, double recordsPerSecond, long[] latenciesNanos) {
        String line() {
            if (latenciesNanos.length == 0) {
                return String.format(Locale.ROOT, "%-40s %12.0f %9s %9s %9s %9d%n", what, recordsPerSecond, "-", "-", "-", 0);
            }
            var sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            return String.format(Locale.ROOT, "%-40s %12.0f %9.2f %9.2f %9.2f %9d%n", what, recordsPerSecond,
                    percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6, sorted.length);
        }
    }

    /** As many records as the stream moves: the in-process source makes them on demand, the file holds them all beforehand. */
    private Result throughput(boolean file, int records) throws Exception {
        var id = "throughput-" + transfers.incrementAndGet();
        RecordSource source;
        if (file) {
            var path = directory.resolve(id + ".jsonl");
            try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(path), 1 << 16)) {
                for (var i = 0; i < records; i++) {
                    out.write(record(i, System.nanoTime()));
                    out.write('\n');
                }
            }
            source = openFile(id, path);
        } else {
            source = new PacedSource(0);
        }
        var sink = new TimingSink(records, false);
        var elapsed = receive(id, source, sink);
        return new Result((file ? "record file" : "in-process source") + ", as fast as it goes", records / elapsed, new long[0]);
    }

    /** A producer at {@code rate} records per second for {@code duration}; latency of every record. */
    private Result paced(boolean file, int rate, Duration duration) throws Exception {
        var id = "paced-" + transfers.incrementAndGet();
        var records = (int) (rate * duration.toSeconds());
        RecordSource source;
        var producing = new AtomicBoolean(true);
        if (file) {
            var path = directory.resolve(id + ".jsonl");
            Files.createFile(path);
            source = openFile(id, path);
            executor.execute(() -> produceInto(path, rate, records, producing));
        } else {
            source = new PacedSource(rate);
        }
        var sink = new TimingSink(records, true);
        receive(id, source, sink);
        producing.set(false);
        return new Result("%s, %d records/s".formatted(file ? "record file" : "in-process source", rate), sink.received() / (sink.lastNanos - sink.firstNanos) * 1e9,
                sink.latencies());
    }

    /** Subscribes until the sink has all its records; answers the seconds between the first and the last one. */
    private double receive(String id, RecordSource source, TimingSink sink) throws Exception {
        streams.register(id, new RecordStream(source, 16L * 1024 * 1024, Clock.systemUTC()));
        var subscription = new RecordSubscription(channel, id, () -> tokens.issue(id), sink, config, monitor);
        sink.onDone = () -> subscription.stop(Status.CANCELLED.withDescription("benchmark run done"));
        var running = CompletableFuture.supplyAsync(subscription::run, executor);
        if (!sink.done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("run %s did not finish".formatted(id));
        }
        running.get(1, TimeUnit.MINUTES);
        streams.terminate(id);
        source.close();
        return (sink.lastNanos - sink.firstNanos) / 1e9;
    }

    private RecordSource openFile(String id, Path path) {
        var files = new RecordFiles(directory, directory.resolve("positions"), filePoll, fileWatch, "benchmark");
        var opened = files.open(id, path.getFileName().toString());
        if (opened.failed()) {
            throw new IllegalStateException(opened.getFailureDetail());
        }
        return opened.getContent();
    }

    /** The machine: writes each record with the time it writes it, one write per line, as a gateway appending telemetry. */
    private static void produceInto(Path path, int rate, int records, AtomicBoolean producing) {
        try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.APPEND)) {
            var start = System.nanoTime();
            for (var i = 0; i < records && producing.get(); i++) {
                var due = start + (long) (i * 1e9 / rate);
                sleepUntil(due);
                var line = Arrays.copyOf(record(i, System.nanoTime()), RECORD_BYTES + 1);
                line[RECORD_BYTES] = '\n';
                out.write(line);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The in-process source: a record when it is due (at {@code rate} per second), or at once when the rate is 0. */
    private static final class PacedSource implements RecordSource {
        private final int rate;
        private long start;
        private long produced;

        PacedSource(int rate) {
            this.rate = rate;
        }

        @Override
        public byte[] next(Duration maxWait) throws InterruptedException {
            if (start == 0) {
                start = System.nanoTime();
            }
            var due = rate == 0 ? System.nanoTime() : start + (long) (produced * 1e9 / rate);
            if (due - System.nanoTime() > maxWait.toNanos()) {
                sleepUntil(System.nanoTime() + maxWait.toNanos());
                return null;
            }
            sleepUntil(due);
            return record(produced++, System.nanoTime());
        }

        @Override
        public String contentType() {
            return "application/json";
        }
    }

    /** Telemetry of {@value #RECORD_BYTES} bytes with the producer's timestamp in {@code t}; cheap to make (no formatting). */
    private static byte[] record(long sequence, long nanos) {
        var json = new StringBuilder(RECORD_BYTES)
                .append("{\"machine\":\"lathe-").append(100 + sequence % 100)
                .append("\",\"seq\":").append(sequence)
                .append(",\"t\":").append(nanos)
                .append(",\"spindleRpm\":").append(8000 + sequence % 500)
                .append(",\"loadPct\":").append(sequence % 100).append('.').append(sequence % 10)
                .append(",\"temperatureC\":").append(35 + sequence % 7).append('.').append(sequence % 100)
                .append(",\"state\":\"RUNNING\",\"pad\":\"");
        var bytes = new byte[RECORD_BYTES];
        for (var i = 0; i < json.length(); i++) {
            bytes[i] = (byte) json.charAt(i);
        }
        Arrays.fill(bytes, json.length(), RECORD_BYTES - 2, (byte) 'x');
        bytes[RECORD_BYTES - 2] = '"';
        bytes[RECORD_BYTES - 1] = '}';
        return bytes;
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        for (var left = nanos - System.nanoTime(); left > 0; left = nanos - System.nanoTime()) {
            if (left > 2_000_000) {
                Thread.sleep((left - 1_000_000) / 1_000_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    /** Counts what arrives, and with {@code timing} the latency of each record from the timestamp it carries. */
    private static final class TimingSink implements RecordSink {
        private final int expected;
        private final long[] latencies;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile Runnable onDone = () -> { };
        private long next;
        private volatile long firstNanos;
        private volatile long lastNanos;

        TimingSink(int expected, boolean timing) {
            this.expected = expected;
            this.latencies = timing ? new long[expected] : null;
        }

        @Override
        public long nextSequence() {
            return next;
        }

        @Override
        public void accept(long sequence, byte[] payload) {
            var now = System.nanoTime();
            if (sequence != next || next >= expected) {
                return;
            }
            if (next == 0) {
                firstNanos = now;
            }
            if (latencies != null) {
                latencies[(int) next] = now - timestamp(payload);
            }
            next++;
            lastNanos = now;
            if (next == expected) {
                done.countDown();
                onDone.run();
            }
        }

        double received() {
            return next;
        }

        long[] latencies() {
            return Arrays.copyOf(latencies, (int) next);
        }

        private static long timestamp(byte[] payload) {
            var text = new String(payload, 0, Math.min(payload.length, 120), StandardCharsets.US_ASCII);
            var at = text.indexOf("\"t\":") + 4;
            var end = text.indexOf(',', at);
            return Long.parseLong(text.substring(at, end));
        }
    }
}
