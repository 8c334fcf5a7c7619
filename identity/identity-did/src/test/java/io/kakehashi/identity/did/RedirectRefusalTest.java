package io.kakehashi.identity.did;

import com.sun.net.httpserver.HttpServer;
import io.kakehashi.testfixtures.MapVault;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, defect 9: DID resolution followed HTTP redirects without checking the target again, so a peer's DID
 * address could send this connector to any host — an internal endpoint, plain http. A peer on loopback redirects to
 * another loopback server (standing for an internal endpoint) that serves a document valid for the peer's DID: the
 * resolver refuses, and the target is never asked.
 */
class RedirectRefusalTest {

    private HttpServer peer;
    private HttpServer internal;
    private final AtomicInteger internalRequests = new AtomicInteger();
    private volatile String internalDocument = "{}";
    private volatile int redirectStatus = 302;

    @BeforeEach
    void start() throws IOException {
        internal = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        internal.createContext("/", exchange -> {
            internalRequests.incrementAndGet();
            var bytes = internalDocument.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        internal.start();
        peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        peer.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:%d/internal%s".formatted(internal.getAddress().getPort(), exchange.getRequestURI().getPath()));
            exchange.sendResponseHeaders(redirectStatus, -1);
            exchange.close();
        });
        peer.start();
    }

    @AfterEach
    void stop() {
        peer.stop(0);
        internal.stop(0);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void resolve_whenTheDidDocumentRedirects_shouldFailWithoutAskingTheTarget(int status) throws IOException {
        redirectStatus = status;
        var did = "did:web:127.0.0.1%3A" + peer.getAddress().getPort() + ":alice";
        var ring = new DidKeyRing(new MapVault(), "ring");
        ring.ensure(Instant.now());
        // the target would serve a document for exactly this DID: following the redirect would resolve it
        internalDocument = new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(new OwnDid(WebDid.parse(did).getContent(), ring, "http://127.0.0.1/cs").document(Instant.now()));

        var resolved = new WebDidDocumentResolver(client(), true, DidTestFixtures.typeManagerMapper()).resolve(did);

        assertThat(resolved.failed()).isTrue();
        assertThat(resolved.getFailureDetail()).contains("HTTP " + status);
        assertThat(internalRequests).hasValue(0);
    }

    @Test
    void aPostThatRedirects_shouldBeAnsweredWithTheRedirectNotFollowed() throws IOException {
        redirectStatus = 307;
        var request = new Request.Builder().url("http://127.0.0.1:%d/presentations/query".formatted(peer.getAddress().getPort()))
                .header("Authorization", "Bearer token").post(RequestBody.create("{}", MediaType.get("application/json"))).build();

        try (var response = client().execute(request)) {
            assertThat(response.code()).isEqualTo(307);
        }
        assertThat(internalRequests).hasValue(0);
    }

    private static org.eclipse.edc.http.spi.EdcHttpClient client() {
        return FailFastHttpClient.create(new OkHttpClient(), Duration.ofSeconds(10), new ConsoleMonitor());
    }
}
