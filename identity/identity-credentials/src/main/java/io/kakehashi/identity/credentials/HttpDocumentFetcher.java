package io.kakehashi.identity.credentials;

import io.kakehashi.identity.did.BoundedBody;
import okhttp3.Request;
import org.eclipse.edc.http.spi.EdcHttpClient;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.net.URI;
import java.util.Set;

/**
 * Fetches documents with EDC's HTTP client, over https only — plain http is allowed for loopback hosts when the
 * connector allows it (tests and single-machine samples). A document longer than {@link #MAX_DOCUMENT_BYTES} is
 * refused without reading the rest. Thread-safe.
 */
public class HttpDocumentFetcher implements DocumentFetcher {

    /**
     * The largest document read (a status list credential, a credential schema): a Bitstring Status List of the
     * minimum 131,072 entries is 16 KiB before compression.
     */
    public static final long MAX_DOCUMENT_BYTES = 4 << 20;
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

    private final EdcHttpClient httpClient;
    private final boolean allowHttpForLoopback;

    public HttpDocumentFetcher(EdcHttpClient httpClient, boolean allowHttpForLoopback) {
        this.httpClient = httpClient;
        this.allowHttpForLoopback = allowHttpForLoopback;
    }

    @Override
    public Result<String> fetch(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Result.failure("'%s' is not a URL".formatted(url));
        }
        var https = "https".equals(uri.getScheme());
        var loopbackHttp = "http".equals(uri.getScheme()) && allowHttpForLoopback && uri.getHost() != null && LOOPBACK.contains(uri.getHost());
        if (!https && !loopbackHttp) {
            return Result.failure("'%s' is not an https URL".formatted(url));
        }
        try (var response = httpClient.execute(new Request.Builder().url(url).get().build())) {
            if (response.code() != 200 || response.body() == null) {
                return Result.failure("HTTP %d from %s".formatted(response.code(), url));
            }
            var text = BoundedBody.read(response.body(), MAX_DOCUMENT_BYTES);
            return text.succeeded() ? text : Result.failure("%s from %s".formatted(text.getFailureDetail(), url));
        } catch (IOException | RuntimeException e) {
            return Result.failure("%s from %s".formatted(e.getClass().getSimpleName(), url));
        }
    }
}
