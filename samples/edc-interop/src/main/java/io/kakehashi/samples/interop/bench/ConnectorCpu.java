package io.kakehashi.samples.interop.bench;

import io.kakehashi.samples.support.ConnectorProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The CPU time a connector's JVM has used so far, read from Linux's {@code /proc}: the benchmarks take the difference
 * over an idle period or over a burst of work.
 * <p>
 * Thread-safe.
 */
final class ConnectorCpu {

    private static final double CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private ConnectorCpu() {
    }

    /** The process id of {@code connector}'s JVM: the Java process whose working directory is the connector's directory. */
    static long pid(ConnectorProcess connector) {
        var directory = connector.settings().directory().toAbsolutePath().normalize();
        try (var processes = Files.list(Path.of("/proc"))) {
            OptionalLong found = processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            return Files.readSymbolicLink(p.resolve("cwd")).normalize().equals(directory)
                                    && Files.readString(p.resolve("cmdline")).contains("java");
                        } catch (IOException | RuntimeException e) {
                            return false;
                        }
                    })
                    .mapToLong(p -> Long.parseLong(p.getFileName().toString()))
                    .findFirst();
            return found.orElseThrow(() -> new IllegalStateException("no process runs in " + directory));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** User and system CPU seconds process {@code pid} has used: fields 14 and 15 of {@code /proc/<pid>/stat}. */
    static double seconds(long pid) {
        try {
            var stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // counted after the command name's closing parenthesis, which may itself hold spaces
            var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
