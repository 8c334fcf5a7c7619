package io.kakehashi.transfer.grpc.bulk;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpBulkSourceTest {

    private static final byte[] CONTENT = new byte[300_000];

    static {
        new Random(7).nextBytes(CONTENT);
    }

    private HttpServer server;
    private final AtomicReference<String> lastRange = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ranged", exchange -> {
            var range = exchange.getRequestHeaders().getFirst("Range");
            lastRange.set(range);
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Content-Length", String.valueOf(CONTENT.length));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
                return;
            }
            var from = range == null ? 0 : Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            exchange.sendResponseHeaders(range == null ? 200 : 206, CONTENT.length - from);
            try (var out = exchange.getResponseBody()) {
                out.write(CONTENT, from, CONTENT.length - from);
            }
        });
        server.createContext("/plain", exchange -> {
            // ignores Range and announces no length (chunked)
            exchange.sendResponseHeaders(200, 0);
            try (var out = exchange.getResponseBody()) {
                out.write(CONTENT);
            }
        });
        server.createContext("/busy", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.createContext("/missing", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpBulkSource source(String path) {
        return new HttpBulkSource(URI.create("http://127.0.0.1:%d%s".formatted(server.getAddress().getPort(), path)), null,
                Duration.ofSeconds(5));
    }

    @Test
    void size_shouldComeFromHead_orBeUnknown() {
        assertThat(source("/ranged").size()).isEqualTo(CONTENT.length);
        assertThat(source("/missing").size()).isEqualTo(-1);
    }

    @Test
    void openAt_shouldAskForTheRangeFromTheOffset() throws IOException {
        try (var in = source("/ranged").openAt(100_000)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(CONTENT, 100_000, CONTENT.length));
        }
        assertThat(lastRange.get()).isEqualTo("bytes=100000-");

        try (var in = source("/ranged").openAt(0)) {
            assertThat(in.readAllBytes()).isEqualTo(CONTENT);
        }
        assertThat(lastRange.get()).isNull();
    }

    @Test
    void openAt_whenTheServerIgnoresRanges_shouldSkipThePrefix() throws IOException {
        try (var in = source("/plain").openAt(250_000)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(CONTENT, 250_000, CONTENT.length));
        }
    }

    @Test
    void openAt_whenTheServerRefuses_shouldSayWhatItAnswered() {
        assertThatThrownBy(() -> source("/missing").openAt(0)).isInstanceOf(IOException.class).hasMessageContaining("HTTP 404");
    }

    @Test
    void openAt_whenTheServerIsBusy_shouldSayItMayPassAndAGoneSourceShouldNot() {
        assertThatThrownBy(() -> source("/busy").openAt(0)).isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("HTTP 503");
        assertThatThrownBy(() -> source("/missing").openAt(0)).isNotInstanceOf(SourceUnavailableException.class);
    }

    @Test
    void closingBeforeTheEnd_shouldNotReadTheRest() throws IOException {
        var in = source("/ranged").openAt(0);
        assertThat(in.readNBytes(1000)).isEqualTo(Arrays.copyOf(CONTENT, 1000));
        in.close();
        // the next open still works (the half-read connection was dropped, not reused)
        try (var again = source("/ranged").openAt(299_000)) {
            assertThat(again.readAllBytes()).hasSize(1000);
        }
    }

    @Test
    void constructor_shouldRefuseAddressesThatAreNotHttp() {
        assertThatThrownBy(() -> new HttpBulkSource(URI.create("file:///etc/passwd"), null, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an http(s) address");
    }
}
