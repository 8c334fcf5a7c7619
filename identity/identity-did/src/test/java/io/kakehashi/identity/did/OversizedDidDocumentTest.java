package io.kakehashi.identity.did;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, defect 9: a peer's DID document was read whole, whatever its size. One longer than
 * {@link BoundedBody#MAX_DID_DOCUMENT_BYTES} is refused — declared or not (chunked), the read stops past the limit.
 */
class OversizedDidDocumentTest {

    private HttpServer peer;
    private volatile boolean declareLength;

    @BeforeEach
    void start() throws IOException {
        peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        peer.createContext("/", exchange -> {
            var chunk = " ".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
            var total = 64L << 20;
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, declareLength ? total + 2 : 0);
            try (var out = exchange.getResponseBody()) {
                out.write('{');
                for (long sent = 0; sent < total; sent += chunk.length) {
                    out.write(chunk);
                }
                out.write('}');
            } catch (IOException closedByTheClient) {
                // the resolver stopped reading
            }
            exchange.close();
        });
        peer.start();
    }

    @AfterEach
    void stop() {
        peer.stop(0);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void resolve_whenTheDocumentIsLongerThanTheLimit_shouldBeRefused(boolean declared) {
        declareLength = declared;
        var did = "did:web:127.0.0.1%3A" + peer.getAddress().getPort() + ":alice";

        var resolved = new WebDidDocumentResolver(DidTestFixtures.httpClient(), true, DidTestFixtures.typeManagerMapper()).resolve(did);

        assertThat(resolved.failed()).isTrue();
        assertThat(resolved.getFailureDetail()).contains("longer than " + BoundedBody.MAX_DID_DOCUMENT_BYTES + " bytes");
    }
}
