package io.kakehashi.samples.launcher;

import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Time from starting a connector's JVM to EDC's "Runtime … ready" line, and the CPU time the JVM used until then,
 * for one or more launcher jars, taking turns so that the machine's load falls on each alike. Prints each run and the
 * medians per jar (the readiness is polled every 100 ms, so wall times are to a tenth of a second; on a shared,
 * loaded machine the CPU time is the steadier figure). Also prints each jar's size. Not a test: run it with
 *
 * <pre>
 * ./mvnw -q -pl samples/launcher-checks test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp samples/launcher-checks/target/test-classes:$(cat /tmp/cp.txt) io.kakehashi.samples.launcher.LauncherStartupBenchmark 5 before.jar after.jar
 * </pre>
 */
public final class LauncherStartupBenchmark {

    private LauncherStartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LauncherStartupBenchmark <runs> <jar> [<jar> ...]");
            System.exit(2);
        }
        var runs = Integer.parseInt(args[0]);
        var jars = new ArrayList<Path>();
        for (var i = 1; i < args.length; i++) {
            jars.add(Path.of(args[i]).toAbsolutePath());
        }
        var work = Files.createTempDirectory("launcher-startup-benchmark");
        var times = new LinkedHashMap<Path, List<Long>>();
        var cpu = new LinkedHashMap<Path, List<Long>>();
        jars.forEach(jar -> times.put(jar, new ArrayList<>()));
        jars.forEach(jar -> cpu.put(jar, new ArrayList<>()));
        // one start of each, not counted: the first start pays for the page cache
        for (var round = -1; round < runs; round++) {
            for (var jar : jars) {
                var settings = new ConnectorSettings("startup", work.resolve("run-" + System.nanoTime()))
                        .trustIssuer("dataspace", "did:web:127.0.0.1%3A9:authority");
                var started = System.nanoTime();
                try (var connector = ConnectorProcess.start(List.of(jar), settings, Duration.ofMinutes(3))) {
                    var millis = (System.nanoTime() - started) / 1_000_000;
                    // the connector is this JVM's only child process while it runs
                    var cpuMillis = ProcessHandle.current().children().findFirst()
                            .flatMap(child -> child.info().totalCpuDuration()).map(Duration::toMillis).orElse(-1L);
                    if (round >= 0) {
                        times.get(jar).add(millis);
                        cpu.get(jar).add(cpuMillis);
                        System.out.printf("run %d  %-40s %6d ms  cpu %6d ms%n", round + 1, jar.getFileName(), millis, cpuMillis);
                    }
                }
            }
        }
        for (var entry : times.entrySet()) {
            var sorted = entry.getValue().stream().sorted().toList();
            System.out.printf("%-40s size %6.1f MB  start-up median %6d ms (min %d, max %d)  cpu median %6d ms  (%d runs)%n",
                    entry.getKey().getFileName(), Files.size(entry.getKey()) / 1e6, median(sorted), sorted.get(0), sorted.get(sorted.size() - 1),
                    median(cpu.get(entry.getKey()).stream().sorted().toList()), sorted.size());
        }
    }

    private static long median(List<Long> sorted) {
        return sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2) : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    }
}
