package io.kakehashi.samples.multihost;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A data holder's backend that serves its content slowly (32 KiB every 20 ms), so that a bulk transfer is still under
 * way when the test cuts a link. It answers {@code HEAD} with the size and honours {@code Range: bytes=N-}, as the gRPC
 * data plane's HTTP source expects when it resumes, and writes one line per request to standard output
 * ({@code GET /<name> from <offset>}). {@link #main} runs it as a program of its own, so that the test can start it on
 * a data holder's host, next to its connector. Thread-safe.
 */
final class DribblingBackend implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
    private static final int CHUNK = 32 * 1024;

    private final HttpServer server;
    private final Map<String, byte[]> contents = new ConcurrentHashMap<>();

    private DribblingBackend(HttpServer server) {
        this.server = server;
    }

    /**
     * Serves one file on a host: {@code <bind address> <name> <file>}. Prints {@code listening on <port>} once it
     * accepts requests, then a line per request, and runs until killed.
     */
    public static void main(String[] args) throws Exception {
        var backend = start(InetAddress.getByName(args[0]));
        backend.add(args[1], Files.readAllBytes(Path.of(args[2])));
        System.out.println("listening on " + backend.server.getAddress().getPort());
        System.out.flush();
        Thread.currentThread().join();
    }

    static DribblingBackend start(InetAddress address) throws IOException {
        var server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        var backend = new DribblingBackend(server);
        server.createContext("/", backend::handle);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            var thread = new Thread(runnable, "dribbling-backend");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return backend;
    }

    /** Serves {@code content} under {@code name}; returns its URL. */
    String add(String name, byte[] content) {
        contents.put(name, content);
        return "http://%s:%d/%s".formatted(server.getAddress().getAddress().getHostAddress(), server.getAddress().getPort(), name);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var content = contents.get(exchange.getRequestURI().getPath().substring(1));
            if (content == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Content-Length", String.valueOf(content.length));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            var offset = 0;
            var range = exchange.getRequestHeaders().getFirst("Range");
            if (range != null) {
                var matcher = RANGE.matcher(range);
                if (matcher.matches()) {
                    offset = (int) Math.min(Long.parseLong(matcher.group(1)), content.length);
                    exchange.getResponseHeaders().add("Content-Range", "bytes %d-%d/%d".formatted(offset, content.length - 1, content.length));
                }
            }
            System.out.println("GET " + exchange.getRequestURI().getPath() + " from " + offset);
            System.out.flush();
            exchange.sendResponseHeaders(offset > 0 ? 206 : 200, content.length - offset);
            var out = exchange.getResponseBody();
            for (var position = offset; position < content.length; position += CHUNK) {
                out.write(content, position, Math.min(CHUNK, content.length - position));
                out.flush();
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
