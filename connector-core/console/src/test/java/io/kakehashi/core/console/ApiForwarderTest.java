package io.kakehashi.core.console;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class ApiForwarderTest {

    private static final String KEY = "management-key-0123456789";
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private HttpServer management;
    private ApiForwarder forwarder;

    @BeforeEach
    void startTarget() throws IOException {
        management = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        management.createContext("/management", exchange -> {
            var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            accepted.add(String.valueOf(exchange.getRequestHeaders().getFirst("Accept")));
            seen.add("%s %s key=%s type=%s cookie=%s body=%s".formatted(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                            + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                    exchange.getRequestHeaders().getFirst("x-api-key"), exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Cookie"), body));
            var answer = "[{\"@id\":\"a1\"}]".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Set-Cookie", "x=y");
            exchange.sendResponseHeaders(KEY.equals(exchange.getRequestHeaders().getFirst("x-api-key")) ? 200 : 401, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        management.start();
        var base = URI.create("http://127.0.0.1:%d/management".formatted(management.getAddress().getPort()));
        forwarder = new ApiForwarder(Map.of("management", base, "auditor", URI.create("http://127.0.0.1:%d/auditor".formatted(closedPort()))),
                HttpClient.newHttpClient(), 64, Duration.ofSeconds(5));
    }

    @AfterEach
    void stopTarget() {
        management.stop(0);
    }

    @Test
    void forward_whenManagementPath_shouldPassKeyQueryAndBodyAndReturnTheAnswer() throws IOException {
        var answer = forwarder.forward("POST", "management/v3/assets/request", "limit=1&q=%E6%A9%9F",
                new ApiForwarder.Headers(KEY, "application/json", null), body("{\"limit\":1}"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(new String(answer.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("[{\"@id\":\"a1\"}]");
        assertThat(seen).containsExactly("POST /management/v3/assets/request?limit=1&q=%E6%A9%9F key=" + KEY + " type=application/json cookie=null body={\"limit\":1}");
    }

    @Test
    void forward_whenTheKeyIsWrong_shouldPassTheTargetsRefusalOn() {
        var answer = forwarder.forward("GET", "management/v1/kakehashi/transfers/progress", null, new ApiForwarder.Headers("wrong", null, null), null);

        assertThat(answer.status()).isEqualTo(401);
    }

    @ParameterizedTest
    @ValueSource(strings = { "metrics/metrics", "control/v1/dataflows", "http:", "", "management.evil/x", "Management/v3/assets" })
    void forward_whenTheTargetIsNotManagementOrAuditor_shouldAnswer404(String path) {
        var answer = forwarder.forward("GET", path, null, new ApiForwarder.Headers(KEY, null, null), null);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(seen).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "management/../metrics", "management/v3/%2e%2e/x", "management/v3/a%2Fb", "management/v3//assets",
            "management/v3/%00", "management/v3/%zz", "management/v3/a b", "management/v3/.", "management/v3/a\\b" })
    void forward_whenThePathIsNotPlain_shouldAnswer400(String path) throws IOException {
        var answer = forwarder.forward("GET", path, null, new ApiForwarder.Headers(KEY, null, null), null);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(new String(answer.body().readAllBytes(), StandardCharsets.UTF_8)).contains("\"message\"").doesNotContain(KEY);
        assertThat(seen).isEmpty();
    }

    @Test
    void forward_whenTheQueryIsMalformed_shouldAnswer400() {
        assertThat(forwarder.forward("GET", "management/v3/x", "a=%zz", new ApiForwarder.Headers(KEY, null, null), null).status()).isEqualTo(400);
        assertThat(forwarder.forward("GET", "management/v3/x", "a=<b>", new ApiForwarder.Headers(KEY, null, null), null).status()).isEqualTo(400);
        assertThat(seen).isEmpty();
    }

    @Test
    void forward_whenTheKeyHoldsAControlCharacter_shouldAnswer400WithoutTheKey() throws IOException {
        var answer = forwarder.forward("GET", "management/v3/x", null, new ApiForwarder.Headers(KEY + "\r\nX-Evil: 1", null, null), null);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(new String(answer.body().readAllBytes(), StandardCharsets.UTF_8)).doesNotContain(KEY);
    }

    @Test
    void forward_whenTheBodyIsLargerThanTheLimit_shouldAnswer413() {
        var answer = forwarder.forward("POST", "management/v3/assets", null, new ApiForwarder.Headers(KEY, "application/json", null), body("x".repeat(65)));

        assertThat(answer.status()).isEqualTo(413);
        assertThat(seen).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "garbage", "application/json;;;", "application/json; charset=", "application/json; charset=nope",
            "application/json; charset=\"utf-8", "application/json x", "application/" })
    void forward_whenTheContentTypeIsMalformedOrNamesAnUnknownCharset_shouldAnswer415(String contentType) throws IOException {
        var answer = forwarder.forward("POST", "management/v3/assets", null, new ApiForwarder.Headers(KEY, contentType, null), body("{}"));

        assertThat(answer.status()).isEqualTo(415);
        assertThat(new String(answer.body().readAllBytes(), StandardCharsets.UTF_8)).contains("Content-Type").doesNotContain(KEY);
        assertThat(seen).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "application/json", "application/json; charset=utf-8", "application/ld+json;charset=\"UTF-8\"", "text/plain" })
    void forward_whenTheContentTypeIsAMediaType_shouldPassItOn(String contentType) {
        var answer = forwarder.forward("POST", "management/v3/assets", null, new ApiForwarder.Headers(KEY, contentType, null), body("{}"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(seen).singleElement().asString().contains("type=" + contentType);
    }

    @Test
    void forward_whenNoAcceptIsGiven_shouldAcceptAnyTypeAsTheApiWould() {
        forwarder.forward("GET", "management/v3/x", null, new ApiForwarder.Headers(KEY, null, null), null);
        forwarder.forward("GET", "management/v3/x", null, new ApiForwarder.Headers(KEY, null, "application/x-ndjson"), null);

        assertThat(accepted).containsExactly("*/*", "application/x-ndjson");
    }

    @Test
    void forward_whenTheMethodIsNotForwarded_shouldAnswer405() {
        assertThat(forwarder.forward("PATCH", "management/v3/assets", null, new ApiForwarder.Headers(KEY, null, null), null).status()).isEqualTo(405);
    }

    @Test
    void forward_whenTheTargetDoesNotListen_shouldAnswer502NamingTheApi() throws IOException {
        var answer = forwarder.forward("GET", "auditor/v1/verify", null, new ApiForwarder.Headers("auditor-key-0123456789", null, null), null);

        assertThat(answer.status()).isEqualTo(502);
        assertThat(new String(answer.body().readAllBytes(), StandardCharsets.UTF_8)).contains("the auditor API could not be reached").doesNotContain("auditor-key");
    }

    private static ByteArrayInputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static int closedPort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
