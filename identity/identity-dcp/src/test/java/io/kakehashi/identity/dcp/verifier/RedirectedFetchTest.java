package io.kakehashi.identity.dcp.verifier;

import com.sun.net.httpserver.HttpServer;
import io.kakehashi.identity.credentials.HttpDocumentFetcher;
import io.kakehashi.identity.did.DidTestFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, defect 9: the credential service query and the status-list fetch share the identity HTTP client, which
 * follows no redirect — a peer's credential service or status list that redirects elsewhere is refused, and the
 * target (with the bearer token the query carries) is never reached.
 */
class RedirectedFetchTest {

    private HttpServer peer;
    private HttpServer internal;
    private final AtomicInteger internalRequests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        internal = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        internal.createContext("/", exchange -> {
            internalRequests.incrementAndGet();
            var bytes = "{\"type\":\"PresentationResponseMessage\",\"presentation\":[\"a.b.c\"]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        internal.start();
        peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        peer.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:%d%s".formatted(internal.getAddress().getPort(), exchange.getRequestURI().getPath()));
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        peer.start();
    }

    @AfterEach
    void stop() {
        peer.stop(0);
        internal.stop(0);
    }

    @Test
    void query_whenTheCredentialServiceRedirects_shouldFailWithoutReachingTheTarget() {
        var client = new PresentationClient(DidTestFixtures.httpClient(), true, DidTestFixtures.typeManagerMapper());

        var answer = client.query("http://127.0.0.1:%d/alice".formatted(peer.getAddress().getPort()), "id-token", List.of("scope"));

        assertThat(answer.failed()).isTrue();
        assertThat(answer.getFailureDetail()).contains("HTTP 307");
        assertThat(internalRequests).hasValue(0);
    }

    @Test
    void fetch_whenAStatusListRedirects_shouldFailWithoutReachingTheTarget() {
        var fetched = new HttpDocumentFetcher(DidTestFixtures.httpClient(), true).fetch("http://127.0.0.1:%d/status/1".formatted(peer.getAddress().getPort()));

        assertThat(fetched.failed()).isTrue();
        assertThat(fetched.getFailureDetail()).contains("HTTP 307");
        assertThat(internalRequests).hasValue(0);
    }
}
