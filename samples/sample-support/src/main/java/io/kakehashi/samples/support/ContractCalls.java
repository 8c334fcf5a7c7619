package io.kakehashi.samples.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Calls a real endpoint of a running connector and checks the answer against the OpenAPI document the connector
 * serves for it: the expected status, and the body against the documented schema. Remembers which documented
 * operations were called, so a test can show it called every one. A mismatch is an {@link AssertionError} naming the
 * call and what differs.
 */
public final class ContractCalls {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final OpenApiContract contract;
    private final String baseUrl;
    private final String key;
    private final Set<String> called = new TreeSet<>();

    private ContractCalls(OpenApiContract contract, String baseUrl, String key) {
        this.contract = contract;
        this.baseUrl = baseUrl;
        this.key = key;
    }

    /** Fetches the document at {@code baseUrl + documentPath} with the key, and checks the answer against the document itself. */
    public static ContractCalls fetch(String baseUrl, String key, String documentPath) {
        var answer = send("GET", baseUrl + documentPath, key, null, null, null);
        expectStatus("GET " + documentPath, 200, answer);
        var calls = new ContractCalls(OpenApiContract.of(answer.body()), baseUrl, key);
        // the documents of a context's own API describe the document resource too; those of the management context's
        // additions describe only their endpoints
        if (calls.documented().contains("GET /openapi/{name}.json")) {
            calls.check("GET", "/openapi/{name}.json", 200, answer);
        }
        return calls;
    }

    /** A GET with the context's key; the answer must have the status and satisfy the document. */
    public HttpResponse<String> get(String template, String path, int status) {
        return call("GET", template, path, key, null, null, status);
    }

    /** A call with any key (or none) and Accept header. */
    public HttpResponse<String> call(String method, String template, String path, String withKey, String accept, String jsonBody, int status) {
        return send(method, template, path, withKey, accept, jsonBody == null ? null : "application/json", jsonBody, status);
    }

    /** A call with the context's key and a body of any type; a body sent expecting success must satisfy the document. */
    public HttpResponse<String> send(String method, String template, String path, String contentType, String body, int status) {
        return send(method, template, path, key, null, contentType, body, status);
    }

    /** The documented operations, as {@code "GET /v1/decisions"}. */
    public Set<String> documented() {
        return contract.operations();
    }

    /** The documented operations this instance called. */
    public Set<String> called() {
        return called;
    }

    private HttpResponse<String> send(String method, String template, String path, String withKey, String accept, String contentType,
                                      String body, int status) {
        if (body != null && status < 400) {
            expectNone("request " + method + " " + path, contract.checkRequest(method, template, contentType, body));
        }
        var answer = send(method, baseUrl + path, withKey, accept, contentType, body);
        expectStatus(method + " " + path, status, answer);
        check(method, template, status, answer);
        return answer;
    }

    private void check(String method, String template, int status, HttpResponse<String> answer) {
        var contentType = answer.headers().firstValue("content-type").orElse(null);
        expectNone(method + " " + template + " " + status, contract.checkResponse(method, template, status, contentType, answer.body()));
        called.add(method + " " + template);
    }

    private static void expectStatus(String what, int status, HttpResponse<String> answer) {
        if (answer.statusCode() != status) {
            throw new AssertionError("[" + what + ": " + answer.body() + "] expected status " + status + " but was " + answer.statusCode());
        }
    }

    private static void expectNone(String what, List<String> violations) {
        if (!violations.isEmpty()) {
            throw new AssertionError("[" + what + "] does not satisfy the document: " + String.join("; ", violations));
        }
    }

    private static HttpResponse<String> send(String method, String url, String key, String accept, String contentType, String body) {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("x-api-key", key);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
