package io.kakehashi.transfer.grpc.bulk;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.kakehashi.testfixtures.TestDataspaceCa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

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
    void openAt_whenAnHttpsSourceHasADataspaceCertificate_shouldTrustItOnlyWithTheConnectorsTrust(@TempDir Path dir) throws Exception {
        var ca = TestDataspaceCa.create("Bulk source test CA");
        var password = "source-keystore".toCharArray();
        var keystore = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(ca.writeServerKeystore(dir.resolve("source.p12"), password, "127.0.0.1"))) {
            keystore.load(in, password);
        }
        var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keystore, password);
        var serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
        var https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        https.createContext("/data", exchange -> {
            exchange.sendResponseHeaders(200, CONTENT.length);
            try (var out = exchange.getResponseBody()) {
                out.write(CONTENT);
            }
        });
        https.start();
        try {
            var uri = URI.create("https://127.0.0.1:%d/data".formatted(https.getAddress().getPort()));

            assertThatThrownBy(() -> new HttpBulkSource(uri, null, Duration.ofSeconds(5)).openAt(0).close())
                    .as("the JVM's trust store alone does not know the dataspace CA").isInstanceOf(SSLHandshakeException.class);
            try (var in = new HttpBulkSource(uri, null, Duration.ofSeconds(5), ca.clientContext().getSocketFactory()).openAt(0)) {
                assertThat(in.readAllBytes()).isEqualTo(CONTENT);
            }
        } finally {
            https.stop(0);
        }
    }

    @Test
    void constructor_shouldRefuseAddressesThatAreNotHttp() {
        assertThatThrownBy(() -> new HttpBulkSource(URI.create("file:///etc/passwd"), null, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an http(s) address");
    }
}
