package io.kakehashi.samples.interop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Where consumers report the end of their negotiations: an HTTP endpoint on the loopback interface that EDC's
 * callbacks ({@code callbackAddresses}, events {@code contract.negotiation}, not transactional) post the consumer's
 * negotiation events to. A benchmark learns of FINALIZED or TERMINATED from the consumer's own event instead of asking
 * for the state every few milliseconds: each such question is a management request the consumer answers on the same
 * CPUs the negotiation needs, and at a 2 ms pace they were a load of their own (docs/benchmarks.md, 2026-12-07).
 * <p>
 * Thread-safe.
 */
final class NegotiationCallbacks implements AutoCloseable {

    static final String FINALIZED = "FINALIZED";
    static final String TERMINATED = "TERMINATED";
    private static final String PATH = "/negotiation-events";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, CompletableFuture<String>> ends = new ConcurrentHashMap<>();

    private NegotiationCallbacks(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts the endpoint on a free loopback port. */
    static NegotiationCallbacks start() {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            var executor = Executors.newFixedThreadPool(2, runnable -> {
                var thread = new Thread(runnable, "negotiation-callbacks");
                thread.setDaemon(true);
                return thread;
            });
            var callbacks = new NegotiationCallbacks(server, executor);
            server.createContext(PATH, callbacks::handle);
            server.setExecutor(executor);
            server.start();
            return callbacks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The address a negotiation's callback posts to. */
    String uri() {
        return "http://127.0.0.1:%d%s".formatted(server.getAddress().getPort(), PATH);
    }

    /** Completes with {@value #FINALIZED} or {@value #TERMINATED} when the consumer reports that the negotiation ended. */
    CompletableFuture<String> end(String negotiationId) {
        return ends.computeIfAbsent(negotiationId, id -> new CompletableFuture<>());
    }

    /** Forgets a negotiation once its end was read (or given up on). */
    void forget(String negotiationId) {
        ends.remove(negotiationId);
    }

    private void handle(HttpExchange exchange) throws IOException {
        var status = 204;
        try {
            var body = MAPPER.readTree(exchange.getRequestBody());
            var id = field(body, "contractNegotiationId");
            var text = body.toString().toLowerCase(Locale.ROOT);
            if (id != null) {
                if (text.contains("finalized")) {
                    end(id).complete(FINALIZED);
                } else if (text.contains("terminated")) {
                    end(id).complete(TERMINATED);
                }
            }
        } catch (IOException | RuntimeException e) {
            status = 400;
        }
        try (exchange) {
            exchange.sendResponseHeaders(status, -1);
        }
    }

    // the event's payload sits in EDC's envelope; its member is found wherever the envelope puts it
    private static String field(JsonNode node, String name) {
        var found = node.findValue(name);
        return found == null || !found.isTextual() ? null : found.asText();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
