package io.kakehashi.samples.support;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A consumer's receiving endpoint in the samples: accepts data pushed by a provider's data plane (POST or PUT) on
 * 127.0.0.1 and writes each request body to a file named after the request path. A body is written to a temporary
 * file first and moved into place only when it has arrived whole.
 * <p>
 * Thread-safe.
 */
public final class HttpSink implements AutoCloseable {

    private final HttpServer server;
    private final Path directory;
    private final Map<String, CompletableFuture<Path>> received = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();

    private HttpSink(HttpServer server, Path directory) {
        this.server = server;
        this.directory = directory;
    }

    public static HttpSink receiveInto(Path directory) {
        return receiveInto(directory, null);
    }

    /**
     * The same endpoint over TLS (the JDK's {@link HttpsServer}) with the key and certificate of {@code tls}, for
     * pushes that must be encrypted; {@code null} for plain HTTP.
     */
    public static HttpSink receiveInto(Path directory, SSLContext tls) {
        try {
            Files.createDirectories(directory);
            var address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            HttpServer server;
            if (tls == null) {
                server = HttpServer.create(address, 0);
            } else {
                var https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
            var sink = new HttpSink(server, directory);
            server.createContext("/", exchange -> {
                try (exchange) {
                    var method = exchange.getRequestMethod();
                    var name = exchange.getRequestURI().getPath().replaceAll("^/+", "").replace('/', '_');
                    if (!("POST".equals(method) || "PUT".equals(method)) || name.isEmpty()) {
                        exchange.sendResponseHeaders(405, -1);
                        return;
                    }
                    var target = directory.resolve(name);
                    var partial = Files.createTempFile(directory, name, ".part");
                    try (var in = exchange.getRequestBody()) {
                        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                        Files.deleteIfExists(partial);
                        throw e;
                    }
                    sink.deliveries.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                    exchange.sendResponseHeaders(200, -1);
                    sink.future(name).complete(target);
                }
            });
            server.setExecutor(Executors.newCachedThreadPool(DaemonThreads::daemonThread));
            server.start();
            return sink;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL a provider pushes {@code name} to. */
    public String urlFor(String name) {
        return "%s://127.0.0.1:%d/%s".formatted(server instanceof HttpsServer ? "https" : "http", server.getAddress().getPort(), name);
    }

    /**
     * Waits for the body pushed to {@code name} and returns the file it was written to.
     */
    public Path await(String name, Duration timeout) {
        try {
            return future(name).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("nothing was pushed to %s within %s".formatted(urlFor(name), timeout));
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path directory() {
        return directory;
    }

    /**
     * How many bodies have arrived whole for {@code name}: a transfer delivered twice counts 2 (the file holds the
     * last one).
     */
    public int deliveries(String name) {
        var count = deliveries.get(name);
        return count == null ? 0 : count.get();
    }

    private CompletableFuture<Path> future(String name) {
        return received.computeIfAbsent(name, n -> new CompletableFuture<>());
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
