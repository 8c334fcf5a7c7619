package io.kakehashi.launcher.image;

import io.kakehashi.samples.support.ConnectorSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * One connector started from the image by a test: its settings (free loopback ports, the data under the image's
 * volume), its secrets as the environment gives them, and EDC's health endpoints on the default context.
 * Not thread-safe.
 */
final class ImageRun {

    static final Duration START = Duration.ofMinutes(3);
    static final List<String> HEALTH_PATHS = List.of("/api/check/health", "/api/check/startup", "/api/check/readiness",
            "/api/check/liveness");

    private final ConnectorSettings settings;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ImageRun(String name) {
        // an authority nobody serves: this connector starts and answers its health, it never verifies a peer
        settings = new ConnectorSettings(name, Path.of(ConnectorImageTest.DATA_DIRECTORY, name))
                .trustIssuer("dataspace", "did:web:127.0.0.1%3A9:authority");
    }

    ConnectorSettings settings() {
        return settings;
    }

    /** Writes the settings file the image reads at {@code /etc/kakehashi/connector.properties}. */
    void writeSettings(Path file) {
        var properties = new Properties();
        properties.putAll(settings.properties());
        try {
            Files.createDirectories(file.getParent());
            try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                properties.store(out, "connector image test");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment an operator gives the container: secrets, and the bind address narrowed to loopback. */
    Map<String, String> environment() {
        var environment = new LinkedHashMap<>(settings.environment());
        environment.put("KAKEHASHI_VAULT_PASSWORD", settings.vaultPassword());
        environment.put("KAKEHASHI_WEB_HOST", "127.0.0.1");
        return environment;
    }

    String healthUrl(String path) {
        return "http://127.0.0.1:" + settings.properties().get("web.http.port") + path;
    }

    /** Polls the health endpoint until it answers 200 or the process ends or {@link #START} passes. */
    HttpResponse<String> awaitHealth(BooleanSupplier alive) throws InterruptedException {
        var deadline = Instant.now().plus(START);
        HttpResponse<String> last = null;
        while (alive.getAsBoolean() && Instant.now().isBefore(deadline)) {
            last = get(HEALTH_PATHS.get(0));
            if (last != null && last.statusCode() == 200) {
                return last;
            }
            Thread.sleep(500);
        }
        return last;
    }

    HttpResponse<String> get(String path) throws InterruptedException {
        try {
            var request = HttpRequest.newBuilder(URI.create(healthUrl(path))).timeout(Duration.ofSeconds(10)).build();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        }
    }

    static String tail(Path log) {
        try {
            var lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
