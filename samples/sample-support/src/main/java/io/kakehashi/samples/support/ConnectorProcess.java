package io.kakehashi.samples.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A connector running in its own JVM, started from a runnable jar (and optional extra jars on the class path), with
 * its settings in a file and its vault password in the environment. {@link #start} returns once the runtime reports
 * ready; {@link #close} stops it, {@link #kill} ends it as {@code kill -9} would, and {@link #restart} starts it again.
 * <p>
 * Not thread-safe.
 */
public final class ConnectorProcess implements AutoCloseable {

    public static final String MAIN_CLASS = "org.eclipse.edc.boot.system.runtime.BaseRuntime";

    private final List<Path> classPath;
    private final ConnectorSettings settings;
    private final Process process;
    private final Path log;

    private ConnectorProcess(List<Path> classPath, ConnectorSettings settings, Process process, Path log) {
        this.classPath = List.copyOf(classPath);
        this.settings = settings;
        this.process = process;
        this.log = log;
    }

    /**
     * The launcher jar that the build made, found from the system property {@code kakehashi.launcher.jar} or, when
     * unset, at its place in the source tree relative to the working directory.
     */
    public static Path launcherJar() {
        var configured = System.getProperty("kakehashi.launcher.jar");
        if (configured != null) {
            return Path.of(configured);
        }
        for (var candidate : List.of("launchers/connector/target/kakehashi-connector.jar",
                "../launchers/connector/target/kakehashi-connector.jar",
                "../../launchers/connector/target/kakehashi-connector.jar")) {
            var path = Path.of(candidate);
            if (Files.isRegularFile(path)) {
                return path.toAbsolutePath();
            }
        }
        throw new IllegalStateException("launcher jar not found: build it first (./mvnw -DskipTests package) or set -Dkakehashi.launcher.jar");
    }

    public static ConnectorProcess start(ConnectorSettings settings, Duration timeout) {
        return start(List.of(launcherJar()), settings, timeout);
    }

    /**
     * Starts a runtime with {@code classPath} and waits until it is ready.
     *
     * @throws IllegalStateException when the runtime exits or is not ready in time; the message holds its log's tail
     */
    public static ConnectorProcess start(List<Path> classPath, ConnectorSettings settings, Duration timeout) {
        var connector = launch(classPath, settings);
        connector.awaitReady(timeout);
        return connector;
    }

    /**
     * Starts a runtime with {@code classPath} and returns at once, for tests that watch the start-up itself; see
     * {@link #reportsReady()} and {@link #awaitReady(Duration)}.
     */
    public static ConnectorProcess launch(List<Path> classPath, ConnectorSettings settings) {
        try {
            Files.createDirectories(settings.directory());
            var config = settings.directory().resolve("connector.properties");
            var properties = new Properties();
            properties.putAll(settings.properties());
            try (var out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
                properties.store(out, "connector " + settings.name());
            }
            var log = settings.directory().resolve("connector.log");
            var command = new ArrayList<String>(settings.launchPrefix());
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx512m");
            command.add("-XX:+UseSerialGC");
            command.addAll(settings.jvmOptions());
            command.add("-Dedc.fs.config=" + config);
            command.add("-cp");
            command.add(classPath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
            command.add(MAIN_CLASS);
            command.addAll(settings.programArguments());
            var builder = new ProcessBuilder(command)
                    .directory(settings.directory().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().remove("KAKEHASHI_VAULT_PASSWORD");
            builder.environment().putAll(settings.environment());
            if (settings.vaultPassword() != null) {
                builder.environment().put("KAKEHASHI_VAULT_PASSWORD", settings.vaultPassword());
            }
            return new ConnectorProcess(classPath, settings, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ConnectorSettings settings() {
        return settings;
    }

    public ManagementClient management() {
        return new ManagementClient(settings.managementUrl(), settings.managementKey(), settings.clientTls());
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The operating system's id of the JVM, e.g. to read its CPU time from {@code /proc/<pid>/stat}. */
    public long pid() {
        return process.pid();
    }

    /**
     * The last lines the runtime wrote.
     */
    public String logTail(int lines) {
        try {
            var all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends the runtime at once with SIGKILL ({@link Process#destroyForcibly()} on Linux), as a crash or
     * {@code kill -9} would: no shutdown hook runs, nothing is flushed or closed. Returns once the process is gone.
     */
    public void kill() {
        try {
            if (!process.destroyForcibly().waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("connector '%s' still running 30 s after SIGKILL".formatted(settings.name()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts this connector again, stopped or killed, with the same class path and settings (ports, keys, vault
     * password, database), and waits until it is ready. The log of the run that ended is kept beside the new one as
     * {@code connector.<n>.log}, numbered from 1.
     *
     * @throws IllegalStateException when this runtime is still running, or the new one does not become ready
     */
    public ConnectorProcess restart(Duration timeout) {
        if (process.isAlive()) {
            throw new IllegalStateException("connector '%s' is still running; stop or kill it first".formatted(settings.name()));
        }
        try {
            var n = 1;
            while (Files.exists(log.resolveSibling("connector.%d.log".formatted(n)))) {
                n++;
            }
            Files.move(log, log.resolveSibling("connector.%d.log".formatted(n)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start(classPath, settings, timeout);
    }

    /**
     * Waits for EDC's "Runtime ... ready" line, which it writes once every extension has started. The readiness
     * endpoint alone answers before the last web resources are registered.
     */
    public void awaitReady(Duration timeout) {
        var deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("connector '%s' exited with %d during start-up:\n%s"
                        .formatted(settings.name(), process.exitValue(), logTail(40)));
            }
            if (logShowsReady()) {
                return;
            }
            sleep(100);
        }
        close();
        throw new IllegalStateException("connector '%s' not ready after %s:\n%s".formatted(settings.name(), timeout, logTail(40)));
    }

    /**
     * Whether the runtime has written EDC's "Runtime ... ready" line yet.
     */
    public boolean reportsReady() {
        return logShowsReady();
    }

    private boolean logShowsReady() {
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.anyMatch(line -> line.contains("Runtime ") && line.contains(" ready"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** Waits, for the polling loops of samples and tests; an interrupt ends the wait and the caller's step. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
