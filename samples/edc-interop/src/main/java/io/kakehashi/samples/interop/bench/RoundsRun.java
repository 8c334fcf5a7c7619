package io.kakehashi.samples.interop.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The frame of a latency benchmark that runs one round per state-machine wait: a directory {@code <prefix>-<time>}
 * under the work directory, everything printed also kept in its {@code summary.txt}, each round in
 * {@code wait-<ms>ms/}, and every sample in {@code samples.csv} ({@code iteration_wait_ms,pair,operation,sample,millis}).
 * Connector JVMs still running when the benchmark is interrupted are stopped ({@link StopOnExit}).
 */
final class RoundsRun {

    /** One round at one state-machine wait. */
    @FunctionalInterface
    interface Round {
        void run(long iterationWait, Path directory, PrintStream out, List<String> csv) throws IOException;
    }

    private RoundsRun() {
    }

    /**
     * Prints {@code title}, the machine and what {@code description} prints, then runs {@code round} once per wait of
     * {@code options}.
     */
    static void run(String prefix, String title, BenchmarkOptions options, java.util.function.Consumer<PrintStream> description,
                    Round round) throws IOException {
        StopOnExit.install();
        var started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var run = Files.createDirectories(options.workDirectory()
                .resolve(prefix + "-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started)));
        var summary = run.resolve("summary.txt");
        var csv = new ArrayList<String>();
        csv.add("iteration_wait_ms,pair,operation,sample,millis");
        try (var file = new PrintStream(Files.newOutputStream(summary), true, StandardCharsets.UTF_8)) {
            var out = new PrintStream(new TeeStream(System.out, file), true, StandardCharsets.UTF_8);
            out.println(title);
            out.printf("started %s; %d CPU(s) seen by the JVM; %s %s %s; Java %s%n", started, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"), System.getProperty("java.version"));
            description.accept(out);
            for (var iterationWait : options.iterationWaits()) {
                round.run(iterationWait, run.resolve("wait-" + iterationWait + "ms"), out, csv);
            }
            Files.write(run.resolve("samples.csv"), csv, StandardCharsets.UTF_8);
            out.printf("%nsummary: %s%nsamples: %s%n", summary, run.resolve("samples.csv"));
        }
    }
}
