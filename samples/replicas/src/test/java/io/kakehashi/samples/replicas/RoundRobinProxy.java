package io.kakehashi.samples.replicas;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The test's load balancer: an HTTP/1.1 proxy on a free loopback port that sends each request, in turn, to the next of
 * its backends (per request, not per connection, so one consumer's messages of one negotiation reach different
 * replicas), with the request's method, path, query, headers and body, and answers with the backend's status, headers
 * and body. It keeps what it answered: the count of each status per backend, and every answer of 400 or more with its
 * request line and the first part of its body. A backend that refuses the connection is skipped for the next one; one
 * that fails after that, or none accepting, is answered 502 (and counted as such).
 * <p>
 * Thread-safe.
 */
final class RoundRobinProxy implements AutoCloseable {

    /** Headers the JDK's client sets itself or refuses, and hop-by-hop headers a proxy does not forward. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive", "transfer-encoding", "te", "trailer", "proxy-connection", "date");

    /** One answer of 400 or more that the proxy passed on. */
    record Refusal(String backend, String request, int status, String body) {
        @Override
        public String toString() {
            return "%s %s -> %d %s".formatted(backend, request, status, body);
        }
    }

    private final String name;
    private final List<String> backends;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(48, runnable -> {
        var thread = new Thread(runnable, "round-robin-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final Map<String, Map<Integer, AtomicLong>> statuses = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Refusal> refusals = new ConcurrentLinkedQueue<>();

    private RoundRobinProxy(String name, List<String> backends, HttpServer server) {
        this.name = name;
        this.backends = List.copyOf(backends);
        this.server = server;
    }

    /**
     * Starts a proxy in front of {@code backends}, each a base URL such as {@code http://127.0.0.1:8282} (the request's
     * path is appended unchanged).
     */
    static RoundRobinProxy start(String name, List<String> backends) {
        return startOn(name, 0, backends);
    }

    /** The same on a given loopback port ({@code 0}: a free one). */
    static RoundRobinProxy startOn(String name, int port, List<String> backends) {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
            var proxy = new RoundRobinProxy(name, backends, server);
            server.createContext("/", proxy::forward);
            server.setExecutor(proxy.threads);
            server.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The proxy's own base URL, {@code http://127.0.0.1:<port>}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** How many requests the proxy has passed on. */
    long requests() {
        return requests.get();
    }

    /** How many times a backend that refused the connection was skipped. */
    long skipped() {
        return skipped.get();
    }

    /** The statuses answered, per backend: {@code backend → (status → count)}. */
    Map<String, Map<Integer, Long>> statuses() {
        var copy = new TreeMap<String, Map<Integer, Long>>();
        statuses.forEach((backend, counts) -> {
            var perStatus = new TreeMap<Integer, Long>();
            counts.forEach((status, count) -> perStatus.put(status, count.get()));
            copy.put(backend, perStatus);
        });
        return copy;
    }

    /** Every answer of 400 or more, in the order they were given. */
    List<Refusal> refusals() {
        return List.copyOf(refusals);
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            var requestLine = exchange.getRequestMethod() + " " + exchange.getRequestURI();
            requests.incrementAndGet();
            var body = exchange.getRequestBody().readAllBytes();
            HttpResponse<byte[]> response = null;
            String backend = null;
            // a backend that refuses the connection (not started yet, or stopped) is skipped, as a health-checking
            // balancer would; nothing was sent to it
            for (var attempt = 0; attempt < backends.size() && response == null; attempt++) {
                backend = backends.get(Math.floorMod(next.getAndIncrement(), backends.size()));
                try {
                    response = client.send(request(exchange, backend, body), HttpResponse.BodyHandlers.ofByteArray());
                } catch (java.net.ConnectException e) {
                    skipped.incrementAndGet();
                } catch (IOException e) {
                    record(backend, requestLine, 502, "(no answer from the backend: " + e + ")");
                    exchange.sendResponseHeaders(502, -1);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(502, -1);
                    return;
                }
            }
            if (response == null) {
                record("(none)", requestLine, 502, "(no backend accepts connections)");
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            var answer = response.body();
            record(backend, requestLine, response.statusCode(), new String(answer, 0, Math.min(answer.length, 300), StandardCharsets.UTF_8));
            response.headers().map().forEach((header, values) -> {
                var lower = header.toLowerCase(Locale.ROOT);
                if (!NOT_FORWARDED.contains(lower) && !lower.startsWith(":")) {
                    exchange.getResponseHeaders().put(header, values);
                }
            });
            var noBody = answer.length == 0 || response.statusCode() == 204 || response.statusCode() == 304
                    || "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : answer.length);
            if (!noBody) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    private HttpRequest request(HttpExchange exchange, String backend, byte[] body) {
        var request = HttpRequest.newBuilder(URI.create(backend + exchange.getRequestURI()))
                .timeout(Duration.ofSeconds(60))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((header, values) -> {
            if (!NOT_FORWARDED.contains(header.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(header, value));
            }
        });
        return request.build();
    }

    private void record(String backend, String requestLine, int status, String body) {
        statuses.computeIfAbsent(backend, b -> new ConcurrentHashMap<>()).computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        if (status >= 400) {
            refusals.add(new Refusal(backend, requestLine, status, body));
        }
    }

    @Override
    public String toString() {
        return "%s proxy %s -> %s".formatted(name, url(), backends);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
