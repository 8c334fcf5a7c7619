package io.kakehashi.samples.interop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.kakehashi.samples.interop.ConnectorKind;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.FileServer;
import io.kakehashi.samples.support.HttpSink;
import io.kakehashi.samples.support.ManagementClient;
import io.kakehashi.samples.support.Sha256;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.security.KeyStore;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Bulk throughput of whole connectors, side by side in one run: stock EDC 0.15.1's {@code HttpData-PUSH} (a provider
 * pushing to an HTTP sink, and the same to an HTTPS sink: the encrypted transfer two companies would run), Kakehashi's {@code HttpData-PUSH} (the same EDC pipeline in the launcher jar) and
 * Kakehashi's {@code GrpcStream-PULL} and {@code GrpcStream-PUSH}, for the same file, next to iperf3's single-stream
 * loopback throughput. Every connector is its own JVM (the launcher's {@code -Xmx512m -XX:+UseSerialGC}); the file is
 * served by a loopback file server (the data holder's backend) and lands in a file, on the HTTP sink for the pushes
 * over HTTP or at the consumer's destination path for gRPC. A transfer is timed from the consumer's transfer request
 * (management API) to the complete file at its place (the gRPC receiver moves it there once its SHA-256 matched; the
 * HTTP sink once the request body ended); each result is checked against the source by SHA-256. During each
 * transfer it samples the heap in use of the provider's and consumer's JVMs ({@code jstat}, every 100 ms) and reads
 * their peak resident set ({@code VmHWM} in {@code /proc/<pid>/status}, reset before each transfer through
 * {@code clear_refs}), and the CPU time that both connectors and this JVM (which serves the file and runs the HTTP
 * sink) used for it.
 * <p>
 * System properties: {@code benchmark.transfer.size} (bytes, default 1 GiB), {@code benchmark.transfer.runs}
 * (measured runs per method, default 3), {@code benchmark.transfer.methods} (comma-separated, default all),
 * {@code benchmark.transfer.data-dir} (where the file and the received copies go, default {@code /dev/shm}, which
 * leaves the disk out), {@code benchmark.transfer.sparse} ({@code true}: the source is a sparse file of zeros, for
 * sizes a tmpfs cannot hold), {@code benchmark.transfer.warmups} (unmeasured transfers per method first, default 1;
 * {@code benchmark.transfer.warmup=false} for none), {@code kakehashi.interop.work-dir}. The figures go to stdout and
 * to {@code summary.txt} in the run's directory.
 * <p>
 * CPU is also split out: the JIT compiler's threads (a connector's code is large, and C2 keeps compiling it for
 * several transfers after the start) and the connectors' idle polling, measured for 10 s after the warm-ups with the
 * compiler's threads left out and charged for the transfer's duration.
 */
public final class TransferThroughputBenchmark {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(20);
    private static final int BLOCK = 8 * 1024 * 1024;

    /**
     * One transfer: its throughput, the peaks of both connector JVMs, and the CPU seconds per GiB that the provider,
     * the consumer and this JVM (the file server and the HTTP sink) used together while it ran.
     */
    private record Sample(double gbps, long providerHeapMiB, long consumerHeapMiB, long providerRssMiB, long consumerRssMiB,
                          double cpuSecondsPerGiB, double jitCpuSecondsPerGiB, double idleCpuSecondsPerGiB) {
    }

    private final PrintStream out;
    private final long size;
    private final Path data;
    private final HttpSink sink;
    private final HttpSink tlsSink;
    private final String expected;
    private int transfers;
    /**
     * Cores each pair's two connectors keep busy while idle (their state machines polling), JIT compilation left out,
     * measured after the warm-up transfers.
     */
    private final Map<ConnectorPair, Double> idleCores = new java.util.HashMap<>();

    private TransferThroughputBenchmark(PrintStream out, long size, Path data, HttpSink sink, HttpSink tlsSink, String expected) {
        this.out = out;
        this.size = size;
        this.data = data;
        this.sink = sink;
        this.tlsSink = tlsSink;
        this.expected = expected;
    }

    public static void main(String[] args) throws Exception {
        var size = Long.parseLong(System.getProperty("benchmark.transfer.size", String.valueOf(1L << 30)));
        var runs = Integer.parseInt(System.getProperty("benchmark.transfer.runs", "3"));
        var methods = Arrays.stream(System.getProperty("benchmark.transfer.methods",
                        "STOCK_EDC_HTTP_PUSH,STOCK_EDC_HTTPS_PUSH,KAKEHASHI_HTTP_PUSH,KAKEHASHI_GRPC_PULL,KAKEHASHI_GRPC_PUSH").split(","))
                .map(String::trim).filter(m -> !m.isEmpty()).map(TransferMethod::valueOf).toList();
        var sparse = Boolean.parseBoolean(System.getProperty("benchmark.transfer.sparse", "false"));
        // unmeasured transfers per method before the runs (benchmark.transfer.warmup=false is the same as 0)
        var warmups = Boolean.parseBoolean(System.getProperty("benchmark.transfer.warmup", "true"))
                ? Integer.parseInt(System.getProperty("benchmark.transfer.warmups", "1")) : 0;
        var dataRoot = Path.of(System.getProperty("benchmark.transfer.data-dir", "/dev/shm"));
        var work = Path.of(System.getProperty("kakehashi.interop.work-dir", "target/benchmark")).toAbsolutePath();
        StopOnExit.install();

        var started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var run = Files.createDirectories(work.resolve("transfer-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC).format(started)));
        var data = Files.createTempDirectory(dataRoot, "kakehashi-transfer-benchmark");
        try (var file = new PrintStream(Files.newOutputStream(run.resolve("summary.txt")), true, StandardCharsets.UTF_8)) {
            var out = new PrintStream(new TeeStream(System.out, file), true, StandardCharsets.UTF_8);
            out.printf("Bulk transfer throughput, whole connectors on 127.0.0.1: stock EDC 0.15.1 vs Kakehashi (%s)%n", started);
            out.printf("file: %d bytes (%s) in %s; %d measured run(s) per method after %d unmeasured warm-up(s); %d CPU(s); load average %s%n", size,
                    sparse ? "sparse, zeros" : "generated", dataRoot, runs, warmups,
                    Runtime.getRuntime().availableProcessors(), LoadAverage.now());
            var source = Files.createDirectories(data.resolve("source")).resolve("data.bin");
            writeSource(source, size, sparse);
            var expected = Sha256.of(source);
            var tls = SinkTls.create(run.resolve("sink-tls"));
            try (var server = FileServer.serve(source.getParent());
                 var sink = HttpSink.receiveInto(Files.createDirectories(data.resolve("sink")));
                 var tlsSink = HttpSink.receiveInto(Files.createDirectories(data.resolve("sink-tls")), tls.context())) {
                var benchmark = new TransferThroughputBenchmark(out, size, data, sink, tlsSink, expected);
                benchmark.measure(run, server.urlOf("data.bin"), methods, runs, warmups, tls.trustOptions());
            }
        } finally {
            deleteTree(data);
        }
        System.exit(0);
    }

    private void measure(Path run, String sourceUrl, List<TransferMethod> methods, int runs, int warmups, List<String> trustOptions)
            throws Exception {
        var iperfBefore = iperf3();
        var samples = new EnumMap<TransferMethod, List<Sample>>(TransferMethod.class);
        var needsStock = methods.stream().anyMatch(TransferMethod::stock);
        var needsKakehashi = methods.stream().anyMatch(m -> !m.stock());
        // stock EDC's HTTP client (OkHttp, the JDK's TLS) trusts the TLS sink's certificate through its JVM's trust store
        try (var stock = needsStock ? ConnectorPair.start(ConnectorKind.STOCK_EDC, "edc", run, 10, sourceUrl, START_TIMEOUT, trustOptions) : null;
             var kakehashi = needsKakehashi ? ConnectorPair.start(ConnectorKind.KAKEHASHI, "kakehashi", run, 10, sourceUrl, START_TIMEOUT) : null) {
            var agreements = new java.util.HashMap<ConnectorPair, String>();
            for (var pair : Arrays.asList(stock, kakehashi)) {
                if (pair != null) {
                    agreements.put(pair, pair.agree());
                }
            }
            for (var i = 0; i < warmups; i++) {
                for (var method : methods) {
                    var pair = method.stock() ? stock : kakehashi;
                    var warm = transfer(pair, agreements.get(pair), method);
                    out.printf("warm-up %-26s %6.2f Gbit/s  CPU %.2f s/GiB, of it JIT compiling %.2f s%n", method.label(), warm.gbps(),
                            warm.cpuSecondsPerGiB(), warm.jitCpuSecondsPerGiB());
                }
            }
            // idle after the warm-ups, when the JIT has compiled what a transfer runs; its compiler threads left out
            for (var pair : agreements.keySet()) {
                var pids = new long[]{ pid(pair.provider()), pid(pair.consumer()) };
                var before = Cpu.of(pids[0]).plus(Cpu.of(pids[1]));
                ConnectorProcess.sleep(10_000);
                var used = Cpu.of(pids[0]).plus(Cpu.of(pids[1])).minus(before);
                idleCores.put(pair, used.withoutJit() / 10);
                out.printf("idle: %s provider and consumer together keep %.2f cores busy (state machines polling every 10 ms),"
                                + " and %.2f more compiling%n", pair.kind().description(), idleCores.get(pair), used.jit() / 10);
            }
            for (var i = 0; i < runs; i++) {
                for (var method : methods) {
                    var pair = method.stock() ? stock : kakehashi;
                    var sample = transfer(pair, agreements.get(pair), method);
                    samples.computeIfAbsent(method, m -> new ArrayList<>()).add(sample);
                    out.printf("run %d %-28s %6.2f Gbit/s  heap in use (provider/consumer) %4d/%4d MiB  peak RSS %4d/%4d MiB"
                                    + "  CPU %.2f s/GiB (JIT %.2f)  load %s%n", i + 1, method.label(), sample.gbps(), sample.providerHeapMiB(),
                            sample.consumerHeapMiB(), sample.providerRssMiB(), sample.consumerRssMiB(), sample.cpuSecondsPerGiB(),
                            sample.jitCpuSecondsPerGiB(), LoadAverage.now());
                }
            }
        }
        var iperfAfter = iperf3();
        var iperf = (iperfBefore + iperfAfter) / 2;
        out.printf("%niperf3 single stream on loopback: %.2f Gbit/s before, %.2f Gbit/s after the transfers (mean %.2f)%n",
                iperfBefore, iperfAfter, iperf);
        out.println();
        out.println("| method | median | runs (Gbit/s) | of iperf3 | vs stock EDC HttpData-PUSH | vs the same over TLS | CPU per GiB (median; of it JIT compiling; idle polling) | peak heap in use, provider / consumer | peak RSS, provider / consumer |");
        out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        var stockMedian = samples.containsKey(TransferMethod.STOCK_EDC_HTTP_PUSH)
                ? median(samples.get(TransferMethod.STOCK_EDC_HTTP_PUSH).stream().map(Sample::gbps).toList()) : Double.NaN;
        var stockTlsMedian = samples.containsKey(TransferMethod.STOCK_EDC_HTTPS_PUSH)
                ? median(samples.get(TransferMethod.STOCK_EDC_HTTPS_PUSH).stream().map(Sample::gbps).toList()) : Double.NaN;
        for (var entry : samples.entrySet()) {
            var list = entry.getValue();
            var median = median(list.stream().map(Sample::gbps).toList());
            out.printf(Locale.ROOT, "| %s | %.2f Gbit/s | %s | %.0f %% | ×%.2f | ×%.2f | %.2f s (%.2f s; %.2f s) | %d / %d MiB | %d / %d MiB |%n", entry.getKey().label(), median,
                    list.stream().map(s -> String.format(Locale.ROOT, "%.2f", s.gbps())).toList(), 100 * median / iperf,
                    median / stockMedian, median / stockTlsMedian, median(list.stream().map(Sample::cpuSecondsPerGiB).toList()),
                    median(list.stream().map(Sample::jitCpuSecondsPerGiB).toList()),
                    median(list.stream().map(Sample::idleCpuSecondsPerGiB).toList()),
                    list.stream().mapToLong(Sample::providerHeapMiB).max().orElse(0), list.stream().mapToLong(Sample::consumerHeapMiB).max().orElse(0),
                    list.stream().mapToLong(Sample::providerRssMiB).max().orElse(0), list.stream().mapToLong(Sample::consumerRssMiB).max().orElse(0));
        }
        out.printf("%nload average after the runs: %s%n", LoadAverage.now());
    }

    /** A transfer, again (up to 3 times) when EDC's transfer start races with the consumer's own state (409). */
    private Sample transfer(ConnectorPair pair, String agreementId, TransferMethod method) throws Exception {
        for (var attempt = 1; ; attempt++) {
            try {
                return transferOnce(pair, agreementId, method);
            } catch (TransferMethod.Terminated race) {
                out.printf("  %s: %s; waiting for the machine to go quiet, then again%n", method.label(), race.getMessage());
                awaitQuiet();
                if (attempt == 3) {
                    throw race;
                }
            }
        }
    }

    /** Waits until nothing under the data directory grows for 2 s (a provider still pushing a transfer that was given up). */
    private void awaitQuiet() throws IOException {
        long last = -1;
        var quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(2)) {
            long total;
            try (var walk = Files.walk(data)) {
                total = walk.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
            }
            if (total != last) {
                last = total;
                quietSince = System.nanoTime();
            }
            ConnectorProcess.sleep(200);
        }
    }

    private Sample transferOnce(ConnectorPair pair, String agreementId, TransferMethod method) throws Exception {
        var name = "transfer-" + (++transfers) + ".bin";
        var consumer = pair.consumerManagement();
        Path landed;
        var providerPid = pid(pair.provider());
        var consumerPid = pid(pair.consumer());
        resetPeak(providerPid);
        resetPeak(consumerPid);
        try (var providerHeap = HeapSampler.start(providerPid); var consumerHeap = HeapSampler.start(consumerPid)) {
            var cpuBefore = Cpu.of(providerPid).plus(Cpu.of(consumerPid)).plus(Cpu.of(ProcessHandle.current().pid()));
            var begin = System.nanoTime();
            String transferId;
            if (method.pushesToHttp()) {
                var target = method == TransferMethod.STOCK_EDC_HTTPS_PUSH ? tlsSink : sink;
                landed = target.directory().resolve(name);
                transferId = method.start(pair, agreementId, target.urlFor(name), landed);
            } else {
                landed = Files.createDirectories(data.resolve("grpc")).resolve(name);
                transferId = method.start(pair, agreementId, null, landed);
            }
            TransferMethod.awaitLanded(consumer, transferId, landed, TRANSFER_TIMEOUT);
            var seconds = (System.nanoTime() - begin) / 1e9;
            var cpu = Cpu.of(providerPid).plus(Cpu.of(consumerPid)).plus(Cpu.of(ProcessHandle.current().pid())).minus(cpuBefore);
            var gib = size / (double) (1L << 30);
            var sample = new Sample(size * 8 / seconds / 1e9, providerHeap.peakMiB(), consumerHeap.peakMiB(), peakRssMiB(providerPid),
                    peakRssMiB(consumerPid), cpu.total() / gib, cpu.jit() / gib, idleCores.getOrDefault(pair, 0.0) * seconds / gib);
            if (!expected.equals(Sha256.of(landed))) {
                throw new IllegalStateException(method.label() + ": the received file differs from the source");
            }
            consumer.awaitCompleted(transferId, Duration.ofMinutes(2));
            Files.delete(landed);
            return sample;
        }
    }

    private static void writeSource(Path file, long size, boolean sparse) throws IOException {
        if (sparse) {
            try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(size);
            }
            return;
        }
        var block = new byte[BLOCK];
        new Random(42).nextBytes(block);
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            for (long written = 0, index = 0; written < size; index++) {
                // each block differs in its first bytes, so a block delivered twice or out of order changes the hash
                var buffer = java.nio.ByteBuffer.wrap(block, 0, (int) Math.min(BLOCK, size - written));
                buffer.putLong(0, index);
                written += channel.write(buffer);
            }
        }
    }

    /** The process id of a connector's JVM, found by its configuration file among this JVM's children. */
    private static long pid(ConnectorProcess connector) {
        var config = "-Dedc.fs.config=" + connector.settings().directory().resolve("connector.properties");
        return ProcessHandle.current().children()
                .filter(child -> commandLine(child.pid()).contains(config))
                .findFirst().map(ProcessHandle::pid)
                .orElseThrow(() -> new IllegalStateException("no process for " + connector.settings().name()));
    }

    // read directly: ProcessHandle.Info leaves out the arguments of a command line as long as stock EDC's class path
    private static List<String> commandLine(long pid) {
        try {
            return Arrays.asList(new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")), StandardCharsets.UTF_8)
                    .split("\u0000"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Resets the peak resident set ({@code VmHWM}) to the current one (Linux 4.0+, {@code clear_refs} value 5). */
    private static void resetPeak(long pid) {
        try {
            Files.writeString(Path.of("/proc", String.valueOf(pid), "clear_refs"), "5");
        } catch (IOException e) {
            throw new IllegalStateException("cannot reset the peak RSS of process %d: %s".formatted(pid, e.getMessage()));
        }
    }

    /**
     * CPU seconds used so far (user and system, in clock ticks of 1/100 s), in all and by the JIT compiler's threads
     * ({@code C1 CompilerThre…}, {@code C2 CompilerThre…}). A process's threads are read from
     * {@code /proc/<pid>/task/<tid>/stat}; a thread that ended since is counted in the process's own
     * {@code /proc/<pid>/stat} total but no longer in the JIT part.
     */
    private record Cpu(double total, double jit) {

        static Cpu of(long pid) throws IOException {
            var total = seconds(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
            double jit = 0;
            try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
                for (var task : tasks.toList()) {
                    String stat;
                    try {
                        stat = Files.readString(task.resolve("stat"));
                    } catch (IOException ended) {
                        continue;
                    }
                    var name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.contains("CompilerThre")) {
                        jit += seconds(stat);
                    }
                }
            }
            return new Cpu(total, jit);
        }

        private static double seconds(String stat) {
            var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state is field 3 of stat(5), utime 14 and stime 15
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        }

        Cpu plus(Cpu other) {
            return new Cpu(total + other.total, jit + other.jit);
        }

        Cpu minus(Cpu other) {
            return new Cpu(total - other.total, jit - other.jit);
        }

        double withoutJit() {
            return total - jit;
        }
    }

    private static long peakRssMiB(long pid) throws IOException {
        for (var line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        throw new IllegalStateException("no VmHWM for process " + pid);
    }

    /** The heap in use of another JVM, sampled by {@code jstat -gc} every 100 ms; the peak seen. */
    private static final class HeapSampler implements AutoCloseable {
        private final Process jstat;
        private final AtomicLong peakKiB = new AtomicLong();
        private final Thread reader;

        private HeapSampler(Process jstat) {
            this.jstat = jstat;
            this.reader = new Thread(this::read, "jstat-" + jstat.pid());
            reader.setDaemon(true);
            reader.start();
        }

        static HeapSampler start(long pid) throws IOException {
            var jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
            return new HeapSampler(new ProcessBuilder(Files.exists(jstat) ? jstat.toString() : "jstat", "-gc", String.valueOf(pid), "100")
                    .redirectErrorStream(true).start());
        }

        private void read() {
            try (var lines = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
                List<String> header = null;
                for (var line = lines.readLine(); line != null; line = lines.readLine()) {
                    var fields = Arrays.asList(line.trim().split("\\s+"));
                    if (fields.contains("EU")) {
                        header = fields;
                        continue;
                    }
                    if (header == null || fields.size() != header.size()) {
                        continue;
                    }
                    double used = 0;
                    for (var column : List.of("S0U", "S1U", "EU", "OU")) {
                        used += Double.parseDouble(fields.get(header.indexOf(column)));
                    }
                    peakKiB.accumulateAndGet((long) used, Math::max);
                }
            } catch (IOException | RuntimeException ignored) {
                // the sampler ends with the transfer
            }
        }

        long peakMiB() {
            return peakKiB.get() / 1024;
        }

        @Override
        public void close() {
            jstat.destroy();
        }
    }

    /** iperf3's single-stream loopback throughput in Gbit/s, or NaN when iperf3 is not installed. */
    private double iperf3() throws IOException, InterruptedException {
        int port;
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process server;
        try {
            server = new ProcessBuilder("iperf3", "-s", "-1", "-B", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            out.println("iperf3 not found (apt-get install iperf3): no reference figure");
            return Double.NaN;
        }
        Thread.sleep(500);
        var client = new ProcessBuilder("iperf3", "-c", "127.0.0.1", "-p", String.valueOf(port), "-t", "5", "-J")
                .redirectErrorStream(true).start();
        var json = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        client.waitFor(30, TimeUnit.SECONDS);
        server.waitFor(10, TimeUnit.SECONDS);
        server.destroy();
        JsonNode answer = ManagementClient.mapper().readTree(json);
        var bps = answer.path("end").path("sum_received").path("bits_per_second");
        if (!bps.isNumber()) {
            throw new IllegalStateException("cannot read iperf3's answer: " + json);
        }
        return bps.asDouble() / 1e9;
    }

    private static double median(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        var middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (var path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * The TLS sink's key and certificate (EC P-256 for 127.0.0.1, made with the JDK's keytool for this run) and a trust
     * store holding only that certificate, handed to the pushing connectors' JVMs.
     */
    private record SinkTls(SSLContext context, List<String> trustOptions) {

        private static final String PASSWORD = "benchmark-only";

        static SinkTls create(Path directory) throws Exception {
            Files.createDirectories(directory);
            var keyStore = directory.resolve("sink.p12");
            var certificate = directory.resolve("sink.cer");
            var trustStore = directory.resolve("trust.p12");
            keytool("-genkeypair", "-alias", "sink", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                    "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                    "-storepass", PASSWORD);
            keytool("-exportcert", "-alias", "sink", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                    "-file", certificate.toString());
            keytool("-importcert", "-noprompt", "-alias", "sink", "-file", certificate.toString(), "-storetype", "PKCS12",
                    "-keystore", trustStore.toString(), "-storepass", PASSWORD);
            var keys = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(keyStore)) {
                keys.load(in, PASSWORD.toCharArray());
            }
            var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD.toCharArray());
            var context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return new SinkTls(context, List.of("-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStoreType=PKCS12",
                    "-Djavax.net.ssl.trustStorePassword=" + PASSWORD));
        }

        private static void keytool(String... arguments) throws IOException, InterruptedException {
            var command = new ArrayList<String>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            command.addAll(Arrays.asList(arguments));
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
            }
        }
    }
}
