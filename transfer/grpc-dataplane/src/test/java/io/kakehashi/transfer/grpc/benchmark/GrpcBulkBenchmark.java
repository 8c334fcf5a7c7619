package io.kakehashi.transfer.grpc.benchmark;

import io.kakehashi.transfer.grpc.GrpcChannels;
import io.kakehashi.transfer.grpc.GrpcTransferConfig;
import io.kakehashi.transfer.grpc.GrpcTransferServer;
import io.kakehashi.transfer.grpc.TestContent;
import io.kakehashi.transfer.grpc.TestTokens;
import io.kakehashi.transfer.grpc.TransferOutcome;
import io.kakehashi.transfer.grpc.TransferRegistry;
import io.kakehashi.transfer.grpc.auth.TransferAuthorization;
import io.kakehashi.transfer.grpc.bulk.BulkPull;
import io.kakehashi.transfer.grpc.bulk.BulkPush;
import io.kakehashi.transfer.spi.BulkSource;
import io.kakehashi.transfer.grpc.bulk.BulkTransferService;
import io.kakehashi.transfer.grpc.bulk.FileBulkSource;
import io.kakehashi.transfer.spi.GrpcStreamAddresses;
import io.kakehashi.transfer.grpc.meter.TransferLimits;
import io.kakehashi.transfer.grpc.meter.TransferMeters;
import io.kakehashi.transfer.grpc.tls.GrpcTlsIdentity;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Bulk throughput of the gRPC data plane on loopback, next to iperf3 in the same run: a file (1 GiB by default)
 * pulled and pushed over TLS through the real Netty transport, each run checked by SHA-256, the median of the runs
 * printed with the ratio to iperf3's single-stream throughput. Run from the repository root:
 * <pre>
 * ./mvnw -q -f transfer/grpc-dataplane/pom.xml test-compile exec:java \
 *     -Dexec.classpathScope=test -Dexec.mainClass=io.kakehashi.transfer.grpc.benchmark.GrpcBulkBenchmark \
 *     -Dexec.args="1073741824 3"
 * </pre>
 * Arguments: size in bytes, runs per direction, {@code tls} or {@code plain}, and the directory for the files
 * (a tmpfs such as /dev/shm leaves the disk out), and the chunk size in bytes.
 */
public final class GrpcBulkBenchmark {

    private GrpcBulkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var size = args.length > 0 ? Long.parseLong(args[0]) : 1L << 30;
        var runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        var tls = !(args.length > 2 && args[2].equals("plain"));
        // the receiver forces the file to disk before moving it into place: on a slow disk that, not the network,
        // sets the pace; a tmpfs directory (/dev/shm) as fourth argument measures the transfer without the disk
        var dir = args.length > 3 ? Files.createTempDirectory(Path.of(args[3]), "kakehashi-grpc-benchmark")
                : Files.createTempDirectory("kakehashi-grpc-benchmark");
        var monitor = new ConsoleMonitor(ConsoleMonitor.Level.WARNING, false);
        var results = new StringBuilder();
        try {
            var iperf = iperf3();
            // the heap in use, sampled while the transfers run: it should not grow with the file's size
            var peakHeap = new java.util.concurrent.atomic.AtomicLong();
            var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
            var sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            var source = TestContent.file(dir, "source.bin", size, 42);
            var expected = TestContent.sha256(source);

            var tokens = new TestTokens();
            var authorization = new TransferAuthorization(tokens, Clock.systemUTC());
            var sources = new TransferRegistry<BulkSource>();
            var sinks = new TransferRegistry<Path>();
            var meters = new TransferMeters(id -> TransferLimits.NONE, Clock.systemUTC());
            var config = args.length > 4 ? GrpcTransferConfig.defaults().withChunkSize(Integer.parseInt(args[4]))
                    : GrpcTransferConfig.defaults();
            var identity = tls ? GrpcTlsIdentity.create("127.0.0.1", Clock.systemUTC()) : null;
            var server = new GrpcTransferServer("127.0.0.1", 0, identity == null ? null : identity.serverCredentials(), authorization,
                    List.of(new BulkTransferService(authorization, sources, sinks, meters, config, Clock.systemUTC(), monitor))).start();
            var channels = new GrpcChannels();
            var channel = channels.channelTo(new GrpcStreamAddresses.Endpoint("127.0.0.1", server.port(), false,
                    identity == null ? null : identity.fingerprint()));
            sampler.start();
            try {
                // one unmeasured run per direction first: on 2 cores the JIT compiling the hot paths otherwise takes
                // a large share of the CPU during the first measured runs
                {
                    var pullId = "warm-up-pull";
                    sources.register(pullId, new FileBulkSource(source, null));
                    var pulled = dir.resolve(pullId + ".bin");
                    measure(size, expected, pulled,
                            () -> new BulkPull(channel, pullId, () -> tokens.issue(pullId), pulled, config, monitor).run());
                    var pushId = "warm-up-push";
                    var pushed = dir.resolve(pushId + ".bin");
                    sinks.register(pushId, pushed);
                    measure(size, expected, pushed, () -> new BulkPush(channel, pushId, () -> tokens.issue(pushId),
                            new FileBulkSource(source, null), meters.start(pushId), config, Clock.systemUTC(), monitor).run());
                }
                cpuSeconds = 0;
                wallSeconds = 0;
                gibMoved = 0;
                var pull = new ArrayList<Double>();
                var push = new ArrayList<Double>();
                for (var run = 0; run < runs; run++) {
                    var pullId = "pull-" + run;
                    sources.register(pullId, new FileBulkSource(source, null));
                    var pulled = dir.resolve(pullId + ".bin");
                    pull.add(measure(size, expected, pulled,
                            () -> new BulkPull(channel, pullId, () -> tokens.issue(pullId), pulled, config, monitor).run()));

                    var pushId = "push-" + run;
                    var pushed = dir.resolve(pushId + ".bin");
                    sinks.register(pushId, pushed);
                    push.add(measure(size, expected, pushed, () -> new BulkPush(channel, pushId, () -> tokens.issue(pushId),
                            new FileBulkSource(source, null), meters.start(pushId), config, Clock.systemUTC(), monitor).run()));
                }
                results.append("date: %s%n".formatted(Instant.now()));
                results.append("file: %d bytes in %s, %d runs per direction after one warm-up run, TLS %s, chunk %d bytes, %d cores%n".formatted(size,
                        dir.getParent(), runs, tls ? "on" : "off", config.chunkSize(), Runtime.getRuntime().availableProcessors()));
                results.append(line("iperf3 single stream (loopback)", iperf, iperf));
                // each end hashes the whole content once, one pass after the other on one thread: no single stream
                // can move faster than one core hashes, whatever else it spends
                results.append(line("SHA-256 alone, one core, in memory", sha256Gbps(), iperf));
                results.append(line("gRPC bulk PULL (median)", median(pull), iperf));
                results.append(line("gRPC bulk PUSH (median)", median(push), iperf));
                results.append("runs PULL Gbit/s: %s%nruns PUSH Gbit/s: %s%n".formatted(format(pull), format(push)));
                results.append(String.format(Locale.ROOT, "process CPU while the measured runs transferred: %.2f of %d cores busy,"
                        + " %.2f CPU seconds per GiB moved (sender and receiver together)%n", cpuSeconds / wallSeconds,
                        Runtime.getRuntime().availableProcessors(), cpuSeconds / gibMoved));
                sampler.interrupt();
                results.append("peak heap in use during the runs (both ends in this JVM): %d MiB of %d MiB max%n".formatted(
                        peakHeap.get() >> 20, Runtime.getRuntime().maxMemory() >> 20));
                // other work on the machine shows in these figures; the load says how much there was
                var load = Path.of("/proc/loadavg");
                if (Files.exists(load)) {
                    results.append("load average after the runs: %s".formatted(Files.readString(load)));
                }
            } finally {
                channels.close();
                server.stop();
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (var file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
        System.out.print(results);
        var out = Path.of("target", "grpc-bulk-benchmark.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, results, StandardCharsets.UTF_8);
        System.exit(0);
    }

    private static double measure(long size, String expected, Path destination, Supplier<TransferOutcome> transfer) throws IOException {
        var started = System.nanoTime();
        var cpuBefore = processCpuNanos();
        var outcome = transfer.get();
        var seconds = (System.nanoTime() - started) / 1e9;
        cpuSeconds += (processCpuNanos() - cpuBefore) / 1e9;
        wallSeconds += seconds;
        gibMoved += size / (double) (1L << 30);
        if (!outcome.succeeded() || !expected.equals(TestContent.sha256(destination))) {
            throw new IllegalStateException("transfer failed or differs: " + outcome.describe());
        }
        Files.delete(destination);
        return size * 8 / seconds / 1e9;
    }

    // CPU the whole process (both ends, JIT, GC) used while transfers ran, to tell waiting from a full machine
    private static double cpuSeconds;
    private static double wallSeconds;
    private static double gibMoved;

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** How fast one core computes SHA-256 over data already in memory (the JDK's, as the transfers use), in Gbit/s. */
    private static double sha256Gbps() throws Exception {
        var block = new byte[64 << 20];
        new java.util.Random(1).nextBytes(block);
        var digest = java.security.MessageDigest.getInstance("SHA-256");
        var rates = new ArrayList<Double>();
        for (var round = 0; round < 6; round++) {
            var started = System.nanoTime();
            for (var i = 0; i < 16; i++) {
                digest.update(block);
            }
            digest.digest();
            rates.add(16.0 * block.length * 8 / ((System.nanoTime() - started) / 1e9) / 1e9);
        }
        // the first rounds run before the JIT compiled the loop around the intrinsic
        return median(rates.subList(2, rates.size()));
    }

    /** iperf3's single-stream loopback throughput in Gbit/s, or NaN when iperf3 is not installed. */
    private static double iperf3() throws IOException, InterruptedException {
        int port;
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process server;
        try {
            server = new ProcessBuilder("iperf3", "-s", "-1", "-B", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            System.out.println("iperf3 not found (apt-get install iperf3): no reference figure");
            return Double.NaN;
        }
        Thread.sleep(500);
        var client = new ProcessBuilder("iperf3", "-c", "127.0.0.1", "-p", String.valueOf(port), "-t", "5", "-J")
                .redirectErrorStream(true).start();
        var json = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        client.waitFor(30, TimeUnit.SECONDS);
        server.waitFor(10, TimeUnit.SECONDS);
        server.destroy();
        var received = json.indexOf("\"sum_received\"");
        var matcher = Pattern.compile("\"bits_per_second\":\\s*([0-9.eE+]+)").matcher(json);
        if (received < 0 || !matcher.find(received)) {
            throw new IllegalStateException("cannot read iperf3's answer: " + json);
        }
        return Double.parseDouble(matcher.group(1)) / 1e9;
    }

    private static double median(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        var middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static String line(String what, double gbps, double iperf) {
        return String.format(Locale.ROOT, "%-34s %7.2f Gbit/s  %8.1f MB/s  %5.0f%% of iperf3%n", what, gbps, gbps * 1e9 / 8 / 1e6,
                100 * gbps / iperf);
    }

    private static String format(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList().toString();
    }
}
