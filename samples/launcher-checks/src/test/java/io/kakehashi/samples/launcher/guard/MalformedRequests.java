package io.kakehashi.samples.launcher.guard;

import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests to a launched connector's DSP, management and control ports, and the assertion every malformed one must
 * pass: a 4xx whose body says what is wrong and carries no stack trace.
 */
final class MalformedRequests {

    static final String DSP_CONTEXT = "\"@context\":[\"https://w3id.org/dspace/2025/1/context.jsonld\"]";
    static final String EDC_CONTEXT = "\"@context\":{\"@vocab\":\"https://w3id.org/edc/v0.0.1/ns/\"}";
    /** Not a token anyone issued: DSP reads and checks a message before it verifies the token. */
    static final String BOGUS_TOKEN = "not-a-token";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final ConnectorSettings settings;

    MalformedRequests(ConnectorProcess connector) {
        this.settings = connector.settings();
    }

    HttpResponse<String> management(String method, String path, String body) {
        return send(method, settings.managementUrl() + path, body, Map.of("x-api-key", settings.managementKey()));
    }

    HttpResponse<String> unauthenticatedManagement(String method, String path, String body) {
        return send(method, settings.managementUrl() + path, body, Map.of());
    }

    HttpResponse<String> dsp(String path, String body, String token) {
        var headers = new LinkedHashMap<String, String>();
        if (token != null) {
            headers.put("Authorization", token);
        }
        return send("POST", settings.dspAddress() + path, body, headers);
    }

    /** A request to the control API, with its key or (for {@code null}) without one. */
    HttpResponse<String> control(String method, String path, String key) {
        return send(method, settings.controlUrl() + path, null, key == null ? Map.of() : Map.of("x-api-key", key));
    }

    static HttpResponse<String> send(String method, String url, String body, Map<String, String> headers) {
        var builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        headers.forEach(builder::header);
        try {
            return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void assertRefused(HttpResponse<String> response, int status, String... says) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).as("the answer says what is wrong").contains(says)
                .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("<html");
    }

    static String transferRequest(String fields) {
        return "{%s,\"@type\":\"TransferRequestMessage\",\"format\":\"HttpData-PUSH\"%s}".formatted(DSP_CONTEXT, fields);
    }

    static String contractRequest(String fields) {
        return "{%s,\"@type\":\"ContractRequestMessage\",\"offer\":{\"@id\":\"o1\",\"@type\":\"Offer\",\"target\":\"a\"}%s}".formatted(DSP_CONTEXT, fields);
    }

    static String asset(String idJson) {
        return "{%s,\"@id\":%s,\"properties\":{\"name\":\"guarded\"},\"dataAddress\":{\"type\":\"HttpData\",\"baseUrl\":\"http://127.0.0.1:1/data\"}}"
                .formatted(EDC_CONTEXT, idJson);
    }

    static String query(String fields) {
        return "{%s,\"@type\":\"QuerySpec\"%s}".formatted(EDC_CONTEXT, fields);
    }
}
