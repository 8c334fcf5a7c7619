package io.kakehashi.samples.interop.bench;

import io.kakehashi.samples.interop.ConnectorKind;
import io.kakehashi.samples.interop.dcp.StockDcpParticipant;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Start-up of a Kakehashi connector next to stock EDC 0.15.1 in the same run: the time from starting each JVM to
 * EDC's "Runtime … ready" line, and the CPU time the JVM used until then. The connectors take turns, one start of each
 * per round, so that the shared machine's load falls on each alike; the first round is not counted (it fills the page
 * cache). Each start gets a fresh directory and in-memory state. Compared:
 * <ul>
 *     <li>each Kakehashi launcher jar named in {@code benchmark.kakehashi-jars} (default: the launcher jar as built),
 *     at its embedded default with its self-issued identity and one trusted issuer;</li>
 *     <li>{@code stock-dcp}: stock EDC 0.15.1's DCP control plane with an embedded data plane
 *     ({@code samples/edc-interop-stock-dcp}), the comparable runtime; its IdentityHub is not started, since nothing
 *     at start-up reaches it;</li>
 *     <li>{@code stock-iam-mock}: stock EDC 0.15.1's base control plane and data plane with {@code iam-mock}, the
 *     smallest stock connector.</li>
 * </ul>
 * Prints each start and, per connector, the median and range of wall and CPU time, the CPU median's ratio to each
 * stock runtime's, the median CPU time by thread group (the thread running {@code main}, the JIT compilers, GC and VM
 * threads, the rest; read from {@code /proc} at ready), and the load average before and after. Settings (system properties): {@code benchmark.runs}
 * (counted rounds, default 7), {@code benchmark.kakehashi-jars} (comma-separated jars), {@code benchmark.jvm-options}
 * (space-separated options for every connector JVM, e.g. {@code -Xlog:class+load:file=classes.txt}). Not a test: run
 * it with {@code ./mvnw -B -ntp -o -pl samples/edc-interop-stock-dcp,samples/edc-interop -Pstartup-benchmark verify};
 * see docs/benchmarks.md.
 */
public final class StartupBenchmark {

    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    private StartupBenchmark() {
    }

    /** Where a JVM's CPU time goes, by thread: the thread running {@code main}, the JIT compilers, GC and VM, the rest. */
    private static final List<String> THREAD_GROUPS = List.of("main", "jit", "gc+vm", "other");

    private record Candidate(String name, Function<ConnectorSettings, ConnectorProcess> start,
                             List<Long> wallMillis, List<Long> cpuMillis, Map<String, List<Long>> threadMillis) {

        Candidate(String name, Function<ConnectorSettings, ConnectorProcess> start) {
            this(name, start, new ArrayList<>(), new ArrayList<>(), new LinkedHashMap<>());
            THREAD_GROUPS.forEach(group -> threadMillis.put(group, new ArrayList<>()));
        }
    }

    public static void main(String[] args) throws Exception {
        var runs = Integer.parseInt(System.getProperty("benchmark.runs", "7").trim());
        var jvmOptions = Arrays.stream(System.getProperty("benchmark.jvm-options", "").trim().split("\\s+"))
                .filter(option -> !option.isBlank()).toList();
        var work = Files.createDirectories(Path.of(System.getProperty("kakehashi.interop.work-dir", "target/benchmark"))
                .toAbsolutePath().resolve("startup-" + System.currentTimeMillis()));

        var candidates = new ArrayList<Candidate>();
        var jars = System.getProperty("benchmark.kakehashi-jars", "").isBlank()
                ? List.of(ConnectorProcess.launcherJar())
                : Arrays.stream(System.getProperty("benchmark.kakehashi-jars").split(",")).map(String::trim)
                .filter(jar -> !jar.isEmpty()).map(jar -> Path.of(jar).toAbsolutePath()).toList();
        for (var jar : jars) {
            candidates.add(new Candidate("kakehashi " + jar.getFileName(), settings -> ConnectorProcess.start(List.of(jar),
                    settings.trustIssuer("dataspace", "did:web:127.0.0.1%3A9:authority"), TIMEOUT)));
        }
        var stockDcpClassPath = StockDcpParticipant.connectorClassPath();
        candidates.add(new Candidate("stock-dcp", settings -> ConnectorProcess.start(stockDcpClassPath, stockDcp(settings), TIMEOUT)));
        candidates.add(new Candidate("stock-iam-mock", settings -> ConnectorKind.STOCK_EDC.start(settings, TIMEOUT)));

        var loadBefore = LoadAverage.now();
        System.out.printf("start-up benchmark: %d counted rounds after one uncounted, load average before %s%n", runs, loadBefore);
        for (var round = 0; round <= runs; round++) {
            for (var candidate : candidates) {
                var name = candidate.name().replaceAll("[^A-Za-z0-9]+", "-") + "-" + round;
                var settings = new ConnectorSettings(name, work.resolve(name)).with("edc.hostname", "127.0.0.1");
                jvmOptions.forEach(option -> settings.jvmOption(option.replace("{name}", name)));
                var started = System.nanoTime();
                try (var connector = candidate.start().apply(settings)) {
                    var wall = (System.nanoTime() - started) / 1_000_000;
                    var threads = threadCpuMillis(connector.pid());
                    var cpu = ProcessHandle.of(connector.pid()).flatMap(process -> process.info().totalCpuDuration())
                            .map(Duration::toMillis).orElse(-1L);
                    System.out.printf("round %d%s  %-40s wall %6d ms  cpu %6d ms  %s  load %s%n", round,
                            round == 0 ? " (not counted)" : "", candidate.name(), wall, cpu, threads, LoadAverage.now());
                    if (round > 0) {
                        candidate.wallMillis().add(wall);
                        candidate.cpuMillis().add(cpu);
                        threads.forEach((group, millis) -> candidate.threadMillis().get(group).add(millis));
                    }
                }
            }
        }
        var loadAfter = LoadAverage.now();

        var stock = candidates.stream().filter(candidate -> candidate.name().startsWith("stock")).toList();
        System.out.printf("%nload average before %s, after %s; %d rounds; JVM options %s%n", loadBefore, loadAfter, runs, jvmOptions);
        for (var candidate : candidates) {
            var wall = sorted(candidate.wallMillis());
            var cpu = sorted(candidate.cpuMillis());
            var ratios = new StringBuilder();
            for (var control : stock) {
                ratios.append(String.format(Locale.ROOT, "  cpu/%s %.2f", control.name(),
                        (double) median(cpu) / median(sorted(control.cpuMillis()))));
            }
            var byThread = new StringBuilder();
            candidate.threadMillis().forEach((group, millis) -> byThread.append(String.format(Locale.ROOT, " %s %.2f",
                    group, median(sorted(millis)) / 1e3)));
            System.out.printf(Locale.ROOT, "%-40s wall median %5.1f s (%.1f–%.1f)  cpu median %5.2f s (%.2f–%.2f)%s  cpu by thread, medians (s):%s%n",
                    candidate.name(), median(wall) / 1e3, wall.get(0) / 1e3, wall.get(wall.size() - 1) / 1e3,
                    median(cpu) / 1e3, cpu.get(0) / 1e3, cpu.get(cpu.size() - 1) / 1e3, ratios, byThread);
        }
    }

    /**
     * The stock DCP control plane's settings as in {@link StockDcpParticipant#startConnector}, with an STS account that
     * is never used: nothing at start-up asks the STS for a token or resolves a DID.
     */
    private static ConnectorSettings stockDcp(ConnectorSettings settings) {
        return settings.withoutKakehashiContexts()
                .with("edc.participant.id", "did:web:127.0.0.1%3A9:stock")
                .with("edc.iam.issuer.id", "did:web:127.0.0.1%3A9:stock")
                .with("edc.iam.did.web.use.https", "false")
                .with("edc.iam.trusted-issuer.authority.id", "did:web:127.0.0.1%3A9:authority")
                .with("edc.iam.sts.oauth.token.url", "http://127.0.0.1:9/api/sts/token")
                .with("edc.iam.sts.oauth.client.id", "stock")
                .with("edc.iam.sts.oauth.client.secret.alias", "stock-sts-client-secret")
                .with("kakehashi.interop.sts.client-secret", "unused")
                .with("kakehashi.interop.dcp.default-scopes", "org.eclipse.edc.vc.type:MembershipCredential:read");
    }

    /**
     * The CPU time of each thread group of the JVM {@code pid} so far, from {@code /proc/<pid>/task/<tid>/stat}
     * (utime + stime, in clock ticks of 10 ms): empty groups where there is no {@code /proc}.
     */
    private static Map<String, Long> threadCpuMillis(long pid) {
        var millis = new LinkedHashMap<String, Long>();
        THREAD_GROUPS.forEach(group -> millis.put(group, 0L));
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (var task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                var name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // fields from the state on: utime and stime are the 12th and 13th
                var ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                millis.merge(group(name), ticks * 10, Long::sum);
            }
        } catch (IOException | RuntimeException e) {
            return millis;
        }
        return millis;
    }

    private static String group(String threadName) {
        if (threadName.equals("java")) {
            return "main"; // the launcher thread, which only waits, and the thread running main() are both "java"
        }
        if (threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre")) {
            return "jit";
        }
        if (threadName.startsWith("VM ") || threadName.startsWith("GC ") || threadName.startsWith("G1 ")) {
            return "gc+vm";
        }
        return "other";
    }

    private static List<Long> sorted(List<Long> values) {
        return values.stream().sorted().toList();
    }

    private static long median(List<Long> sorted) {
        var size = sorted.size();
        return size % 2 == 1 ? sorted.get(size / 2) : (sorted.get(size / 2 - 1) + sorted.get(size / 2)) / 2;
    }
}
