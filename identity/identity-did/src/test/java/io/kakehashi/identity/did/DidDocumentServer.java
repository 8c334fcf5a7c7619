package io.kakehashi.identity.did;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A loopback HTTP server that serves JSON documents by path, for resolution tests. Counts requests. */
public class DidDocumentServer implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> documents = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, PostHandler> handlers = new ConcurrentHashMap<>();

    /** Answers a POST: status and JSON body. */
    public interface PostHandler {
        Answer handle(String authorization, String body);
    }

    public record Answer(int status, String body) {
    }

    public DidDocumentServer() throws IOException {
        // the JDK server writes headers and body apart; without TCP_NODELAY each answer waits for a delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            if ("POST".equals(exchange.getRequestMethod())) {
                var handler = handlers.get(exchange.getRequestURI().getPath());
                var answer = handler == null ? new Answer(404, null)
                        : handler.handle(exchange.getRequestHeaders().getFirst("Authorization"), new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                if (answer.body() == null) {
                    exchange.sendResponseHeaders(answer.status(), -1);
                } else {
                    var bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(answer.status(), bytes.length);
                    exchange.getResponseBody().write(bytes);
                }
                exchange.close();
                return;
            }
            var body = documents.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                var bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        // a holder answering a query resolves the verifier's DID on this same server
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The did:web of a path on this server, e.g. {@code did:web:127.0.0.1%3A1234:alice}. */
    public String did(String name) {
        return "did:web:127.0.0.1%3A" + port() + ":" + name;
    }

    public void put(String path, Object json) {
        try {
            documents.put(path, json instanceof String text ? text : MAPPER.writeValueAsString(json));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void onPost(String path, PostHandler handler) {
        handlers.put(path, handler);
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
