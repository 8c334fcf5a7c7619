package io.kakehashi.samples.interop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's load average, which the benchmarks print around what they measure: the machine is shared, and how
 * busy it was says how much to trust a round.
 */
final class LoadAverage {

    private LoadAverage() {
    }

    /** The 1, 5 and 15 minute load averages from {@code /proc/loadavg}, or {@code n/a} where there is none. */
    static String now() {
        try {
            var fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", fields[0], fields[1], fields[2]);
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
