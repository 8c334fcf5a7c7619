package io.kakehashi.identity.credentials;

import okhttp3.Request;
import org.eclipse.edc.http.spi.EdcHttpClient;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.net.URI;
import java.util.Set;

/**
 * Fetches documents with EDC's HTTP client, over https only — plain http is allowed for loopback hosts when the
 * connector allows it (tests and single-machine samples). Thread-safe.
 */
public class HttpDocumentFetcher implements DocumentFetcher {

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
            return Result.success(response.body().string());
        } catch (IOException | RuntimeException e) {
            return Result.failure("%s from %s".formatted(e.getClass().getSimpleName(), url));
        }
    }
}
