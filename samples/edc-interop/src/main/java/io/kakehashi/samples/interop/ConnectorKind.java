package io.kakehashi.samples.interop;

import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.ManagementClient;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The connectors this module runs, each as its own JVM, and the class path each one runs on.
 * <ul>
 *     <li>{@link #KAKEHASHI}: the production launcher jar as built, with its self-issued ES256 identity.</li>
 *     <li>{@link #KAKEHASHI_MOCK_IDENTITY}: the same jar plus EDC's {@code iam-mock}, whose identity service replaces
 *     Kakehashi's default one. Stock EDC can neither make nor check Kakehashi's tokens, so this is the Kakehashi side
 *     of the interoperability test.</li>
 *     <li>{@link #STOCK_EDC}: EDC 0.15.1 as published on Maven Central (control-plane and data-plane base BOMs,
 *     {@code iam-mock}), unmodified; only configured.</li>
 * </ul>
 * The build writes the stock class path and the {@code iam-mock} jar's path to files and names them in the system
 * properties {@value #STOCK_EDC_CLASSPATH_PROPERTY} and {@value #IAM_MOCK_CLASSPATH_PROPERTY}.
 * <p>
 * Thread-safe.
 */
public enum ConnectorKind {

    KAKEHASHI("Kakehashi (launcher jar, self-issued ES256 identity)"),
    KAKEHASHI_MOCK_IDENTITY("Kakehashi (launcher jar + EDC iam-mock)"),
    STOCK_EDC("stock EDC 0.15.1 (Maven Central base BOMs + iam-mock)");

    public static final String STOCK_EDC_CLASSPATH_PROPERTY = "kakehashi.interop.stock-edc.classpath";
    public static final String IAM_MOCK_CLASSPATH_PROPERTY = "kakehashi.interop.iam-mock.classpath";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String description;

    ConnectorKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The jars this kind of connector runs on. */
    public List<Path> classPath() {
        return switch (this) {
            case KAKEHASHI -> List.of(ConnectorProcess.launcherJar());
            case KAKEHASHI_MOCK_IDENTITY -> {
                var jars = new ArrayList<Path>();
                jars.add(ConnectorProcess.launcherJar());
                jars.addAll(classPathFile(IAM_MOCK_CLASSPATH_PROPERTY));
                yield List.copyOf(jars);
            }
            case STOCK_EDC -> classPathFile(STOCK_EDC_CLASSPATH_PROPERTY);
        };
    }

    /**
     * Starts a connector of this kind and waits until its management API and its DSP endpoint answer.
     * <p>
     * {@link ConnectorProcess#start} returns when the readiness probe answers, but EDC registers its web contexts one
     * after another, so the probe can answer while the management or protocol context is not there yet and a first
     * call gets Jetty's bare 404 or 405.
     *
     * @throws IllegalStateException when the connector is not ready in time; the message holds its log's tail
     */
    public ConnectorProcess start(ConnectorSettings settings, Duration timeout) {
        var deadline = Instant.now().plus(timeout);
        var connector = ConnectorProcess.start(classPath(), settings, timeout);
        try {
            awaitApis(connector, deadline);
            return connector;
        } catch (RuntimeException e) {
            connector.close();
            throw e;
        }
    }

    private static void awaitApis(ConnectorProcess connector, Instant deadline) {
        var settings = connector.settings();
        var management = connector.management();
        var query = ManagementClient.body("QuerySpec").put("limit", 1);
        var dspVersions = HttpRequest.newBuilder(URI.create(settings.protocolUrl() + "/.well-known/dspace-version"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (Instant.now().isBefore(deadline)) {
            if (!connector.isAlive()) {
                throw new IllegalStateException("connector '%s' exited during start-up:%n%s".formatted(settings.participantId(), connector.logTail(40)));
            }
            try {
                management.post("/v3/assets/request", query);
                if (HTTP.send(dspVersions, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (ManagementClient.ManagementApiException | IOException | UncheckedIOException e) {
                // a context is not registered yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + settings.participantId(), e);
            }
            pause();
        }
        throw new IllegalStateException("connector '%s': management API or DSP endpoint not answering in time:%n%s"
                .formatted(settings.participantId(), connector.logTail(40)));
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> classPathFile(String property) {
        var file = System.getProperty(property);
        if (file == null) {
            throw new IllegalStateException("system property '%s' is not set: run through Maven (see samples/edc-interop/README.md)".formatted(property));
        }
        try {
            var entries = Arrays.stream(Files.readString(Path.of(file)).trim().split(File.pathSeparator))
                    .filter(entry -> !entry.isBlank())
                    .map(Path::of)
                    .toList();
            if (entries.isEmpty()) {
                throw new IllegalStateException("class path file %s (%s) is empty".formatted(file, property));
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("class path file %s (%s) cannot be read; build the module first".formatted(file, property), e);
        }
    }
}
