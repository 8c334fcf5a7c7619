package io.kakehashi.samples.support;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContractCallsTest {

    private static final String DOCUMENT = """
            {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
             "paths": {
               "/v1/items/{id}": {"get": {"responses": {
                 "200": {"description": "an item", "content": {"application/json": {"schema": {"type": "object", "required": ["id"]}}}},
                 "404": {"description": "none", "content": {"application/json": {"schema": {"type": "object", "required": ["message"]}}}}}}},
               "/v1/items": {"get": {"responses": {"200": {"description": "all"}}}}
             }}""";

    private HttpServer server;
    private String baseUrl;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            var path = exchange.getRequestURI().getPath();
            var keyed = "k".equals(exchange.getRequestHeaders().getFirst("x-api-key"));
            int status;
            String body;
            if (!keyed) {
                status = 401;
                body = "[{\"message\":\"no key\"}]";
            } else if (path.equals("/doc.json")) {
                status = 200;
                body = DOCUMENT;
            } else if (path.equals("/v1/items/a")) {
                status = 200;
                body = "{\"id\":\"a\"}";
            } else if (path.equals("/v1/items/broken")) {
                status = 200;
                body = "{\"name\":\"no id\"}";
            } else {
                status = 404;
                body = "{\"message\":\"no such item\"}";
            }
            var bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void get_whenTheAnswersMatchTheDocument_shouldRememberTheOperationsCalled() {
        var api = ContractCalls.fetch(baseUrl, "k", "/doc.json");

        api.get("/v1/items/{id}", "/v1/items/a", 200);
        api.get("/v1/items/{id}", "/v1/items/b", 404);

        assertThat(api.called()).containsExactly("GET /v1/items/{id}");
        assertThat(api.documented()).containsExactlyInAnyOrder("GET /v1/items/{id}", "GET /v1/items");
    }

    @Test
    void get_whenTheBodyBreaksTheSchema_shouldFailNamingTheCall() {
        var api = ContractCalls.fetch(baseUrl, "k", "/doc.json");

        assertThatThrownBy(() -> api.get("/v1/items/{id}", "/v1/items/broken", 200))
                .isInstanceOf(AssertionError.class).hasMessageContaining("GET /v1/items/{id} 200").hasMessageContaining("does not satisfy the document");
        assertThat(api.called()).isEmpty();
    }

    @Test
    void call_whenTheStatusDiffers_shouldFailWithBothStatuses() {
        var api = ContractCalls.fetch(baseUrl, "k", "/doc.json");

        assertThatThrownBy(() -> api.call("GET", "/v1/items/{id}", "/v1/items/a", null, null, null, 200))
                .isInstanceOf(AssertionError.class).hasMessageContaining("expected status 200 but was 401");
    }
}
