package io.kakehashi.samples.tck;

import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.WorkDirectory;
import io.kakehashi.testfixtures.Ports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The connector the TCK talks to: the production launcher jar with EDC's TCK extension added to its class path, in its
 * own JVM. The extension replaces Kakehashi's self-issued identity with a no-op one (our identity services are
 * default providers), seeds the assets, policies, negotiations and agreements the TCK's test cases name, and opens
 * the {@code /tck} webhook through which the TCK makes the connector start negotiations and transfers as a consumer.
 * <p>
 * Not thread-safe.
 */
final class ConnectorUnderTest implements AutoCloseable {

    static final String PARTICIPANT_ID = "kakehashi-tck";
    // the tck-extension seeds its assets, policies and negotiations for this participant context
    static final String TCK_PARTICIPANT_CONTEXT_ID = "participantContextId";

    private static final String TCK_EXTENSION_JAR = "kakehashi.tck.extension.jar";
    private static final String DIRECTORY = "kakehashi.tck.directory";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final ConnectorProcess process;
    private final int webhookPort;

    private ConnectorUnderTest(ConnectorProcess process, int webhookPort) {
        this.process = process;
        this.webhookPort = webhookPort;
    }

    /**
     * Starts the connector in a fresh working directory and waits until it is ready.
     *
     * @throws IllegalStateException when the runtime does not start; the message holds its log's tail
     */
    static ConnectorUnderTest start() {
        var directory = Path.of(requiredProperty(DIRECTORY));
        // a fresh vault password every run cannot open the vault of the previous one
        WorkDirectory.clear(directory);
        var webhookPort = Ports.freePort();
        var settings = new ConnectorSettings(PARTICIPANT_ID, directory)
                // the TCK addresses the connector by a plain id; its tck-extension's identity replaces the DCP one, whose
                // DID extensions still start (with the DID of the settings) and want one trust anchor
                .with("edc.participant.id", PARTICIPANT_ID)
                .trustIssuer("unused", "did:web:127.0.0.1%3A9:no-authority")
                .with("edc.participant.context.id", TCK_PARTICIPANT_CONTEXT_ID)
                .with("web.http.tck.port", String.valueOf(webhookPort))
                .with("web.http.tck.path", "/tck");
        // the connector runs from copies: a rebuild of the launcher during a run must not pull classes from under it
        var classPath = List.of(
                copyInto(directory.resolve("lib"), ConnectorProcess.launcherJar()),
                copyInto(directory.resolve("lib"), Path.of(requiredProperty(TCK_EXTENSION_JAR))));
        return new ConnectorUnderTest(ConnectorProcess.start(classPath, settings, START_TIMEOUT), webhookPort);
    }

    ConnectorSettings settings() {
        return process.settings();
    }

    /** The base of the tck-extension's webhook, which makes the connector act as a consumer. */
    String webhookUrl() {
        return "http://127.0.0.1:%d/tck".formatted(webhookPort);
    }

    Path log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }

    private static String requiredProperty(String key) {
        var value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property '%s' is not set: run the TCK through Maven (./mvnw -pl samples/dsp-tck verify)".formatted(key));
        }
        return value;
    }

    private static Path copyInto(Path directory, Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("jar not found: %s (build the launcher first: ./mvnw install -DskipTests)".formatted(jar));
        }
        try {
            Files.createDirectories(directory);
            return Files.copy(jar, directory.resolve(jar.getFileName())).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + jar, e);
        }
    }
}
