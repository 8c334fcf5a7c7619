package io.kakehashi.samples.hostile;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP endpoint that stands where an attacker's server would: the destination and callback address of a
 * hostile transfer request, a SPARQL {@code SERVICE}, a remote JSON-LD context, a push target of a control-API call.
 * It answers 200 to anything and keeps every request it received (method, path, headers, body), so the suite can tell
 * whether a connector was made to call out and what it sent. Thread-safe.
 */
public final class CaptureServer implements AutoCloseable {

    /** One request the server received. */
    public record Captured(String method, String path, Map<String, List<String>> headers, String body) {
        /** Everything of the request as one text, to search for secrets. */
        public String text() {
            return method + " " + path + "\n" + headers + "\n" + body;
        }
    }

    private final HttpServer server;
    private final List<Captured> received = new CopyOnWriteArrayList<>();

    private CaptureServer(HttpServer server) {
        this.server = server;
    }

    public static CaptureServer start() {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            var capture = new CaptureServer(server);
            server.createContext("/", exchange -> {
                try (exchange) {
                    var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    capture.received.add(new Captured(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                            Map.copyOf(exchange.getRequestHeaders()), body));
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
                var thread = new Thread(runnable, "capture-server");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return capture;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's address followed by {@code path} (which starts with a slash). */
    public String url(String path) {
        return "http://127.0.0.1:%d%s".formatted(server.getAddress().getPort(), path);
    }

    /** The requests received so far whose path starts with {@code prefix}. */
    public List<Captured> received(String prefix) {
        var matching = new ArrayList<Captured>();
        for (var request : received) {
            if (request.path().startsWith(prefix)) {
                matching.add(request);
            }
        }
        return matching;
    }

    public List<Captured> all() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
