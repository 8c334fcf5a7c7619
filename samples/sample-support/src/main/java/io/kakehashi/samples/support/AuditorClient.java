package io.kakehashi.samples.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A client of one connector's read-only auditor API, for samples and tests. Thread-safe.
 */
public final class AuditorClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String apiKey;
    private final HttpClient http;

    public AuditorClient(String baseUrl, String apiKey) {
        this(baseUrl, apiKey, null);
    }

    /** A client of an HTTPS auditor API whose certificate {@code tls} trusts; null for the JVM's default trust. */
    public AuditorClient(String baseUrl, String apiKey, javax.net.ssl.SSLContext tls) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.http = tls == null ? HTTP : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build();
    }

    /** The decisions matching a query string such as {@code counterparty=ai-vendor&outcome=DENY}. */
    public JsonNode decisions(String query) {
        return json(call("GET", "/v1/decisions" + (query.isEmpty() ? "" : "?" + query)));
    }

    /** Verifies the whole chain and its checkpoints. */
    public JsonNode verify() {
        return json(call("GET", "/v1/verify"));
    }

    /** The receipts counterparties sent about an agreement (its DSP id), verified when they were kept. */
    public JsonNode receipts(String agreementId) {
        return json(call("GET", "/v1/receipts?agreementId=" + java.net.URLEncoder.encode(agreementId, java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The exported entries, one JSON object per line. */
    public String exportDecisions() {
        return ok(call("GET", "/v1/export/decisions")).body();
    }

    public String exportCheckpoints() {
        return ok(call("GET", "/v1/export/checkpoints")).body();
    }

    public String checkpointKey() {
        return ok(call("GET", "/v1/checkpoint-key")).body();
    }

    /** Any call, with this client's key; the response whatever its status. */
    public HttpResponse<String> call(String method, String path) {
        return call(method, path, apiKey);
    }

    /** Any call with the given key (or none), to show what the API refuses. */
    public HttpResponse<String> call(String method, String path, String key) {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            request.header("x-api-key", key);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> ok(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new ManagementClient.ManagementApiException(response.statusCode(), response.uri() + ": " + response.body());
        }
        return response;
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return ManagementClient.mapper().readTree(ok(response).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
