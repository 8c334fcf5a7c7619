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
 * Time from starting a connector's JVM to EDC's "Runtime … ready" line, for one or more launcher jars, taking turns
 * so that the machine's load falls on each alike. Prints each run and the median per jar (the readiness is polled
 * every 100 ms, so figures are to a tenth of a second). Also prints each jar's size. Not a test: run it with
 *
 * <pre>
 * ./mvnw -q -o -pl samples/launcher-checks test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
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
        jars.forEach(jar -> times.put(jar, new ArrayList<>()));
        // one start of each, not counted: the first start pays for the page cache
        for (var round = -1; round < runs; round++) {
            for (var jar : jars) {
                var settings = new ConnectorSettings("startup", work.resolve("run-" + System.nanoTime()))
                        .trustIssuer("dataspace", "did:web:127.0.0.1%3A9:authority");
                var started = System.nanoTime();
                try (var connector = ConnectorProcess.start(List.of(jar), settings, Duration.ofMinutes(3))) {
                    var millis = (System.nanoTime() - started) / 1_000_000;
                    if (round >= 0) {
                        times.get(jar).add(millis);
                        System.out.printf("run %d  %-40s %6d ms%n", round + 1, jar.getFileName(), millis);
                    }
                }
            }
        }
        for (var entry : times.entrySet()) {
            var sorted = entry.getValue().stream().sorted().toList();
            var median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                    : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
            System.out.printf("%-40s size %6.1f MB  start-up median %6d ms  (min %d, max %d, %d runs)%n", entry.getKey().getFileName(),
                    Files.size(entry.getKey()) / 1e6, median, sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
        }
    }
}
