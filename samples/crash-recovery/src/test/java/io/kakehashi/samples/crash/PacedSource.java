package io.kakehashi.samples.crash;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A data holder's backend that serves generated content slowly, so that a small bulk transfer is still under way
 * when the suite kills a connector: each resource is {@link Pace#STALL stalled} (headers, then a byte every second,
 * within the data plane's 30 s read timeout) or {@link Pace#DRIBBLE dribbled} (16 KiB every 125 ms) until
 * {@link #release released}, and served at full speed afterwards. It answers {@code HEAD} with the size and honours
 * {@code Range: bytes=N-}, as the gRPC data plane's HTTP source expects.
 * <p>
 * Thread-safe.
 */
final class PacedSource implements AutoCloseable {

    /** How a resource is served until it is released. */
    enum Pace { STALL, DRIBBLE }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();

    private PacedSource(HttpServer server) {
        this.server = server;
    }

    static PacedSource start() {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            var source = new PacedSource(server);
            server.createContext("/", source::handle);
            server.setExecutor(Executors.newCachedThreadPool(runnable -> {
                var thread = new Thread(runnable, "paced-source");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return source;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds a resource of {@code size} pseudo-random bytes (from {@code name}) served at {@code pace}; returns its URL. */
    String add(String name, int size, Pace pace) {
        var content = new byte[size];
        new Random(name.hashCode()).nextBytes(content);
        resources.put(name, new Resource(content, pace));
        return "http://127.0.0.1:%d/%s".formatted(server.getAddress().getPort(), name);
    }

    /** The content of a resource, to compare what arrived with. */
    byte[] content(String name) {
        return resources.get(name).content;
    }

    /** Serves the resource at full speed from now on, including the requests already being answered. */
    void release(String name) {
        resources.get(name).released = true;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var resource = resources.get(exchange.getRequestURI().getPath().substring(1));
            if (resource == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            var content = resource.content;
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Content-Length", String.valueOf(content.length));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            var start = 0;
            var range = exchange.getRequestHeaders().getFirst("Range");
            var matcher = range == null ? null : RANGE.matcher(range);
            if (matcher != null && matcher.matches()) {
                start = (int) Math.min(Long.parseLong(matcher.group(1)), content.length);
                exchange.getResponseHeaders().add("Content-Range", "bytes %d-%d/%d".formatted(start, content.length - 1, content.length));
                exchange.sendResponseHeaders(206, content.length - start);
            } else {
                exchange.sendResponseHeaders(200, content.length);
            }
            var out = exchange.getResponseBody();
            var position = start;
            while (position < content.length) {
                int step;
                if (resource.released) {
                    step = Math.min(256 * 1024, content.length - position);
                } else if (resource.pace == Pace.DRIBBLE) {
                    step = Math.min(16 * 1024, content.length - position);
                    pause(125);
                } else {
                    // one byte a second keeps the reader's 30 s read timeout from firing, and no chunk fills
                    step = 1;
                    pause(1000);
                    if (resource.released) {
                        continue;
                    }
                }
                out.write(content, position, step);
                out.flush();
                position += step;
            }
            out.close();
        } catch (IOException e) {
            // the reader went away (its connector was killed): nothing to answer
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    private static final class Resource {
        final byte[] content;
        final Pace pace;
        volatile boolean released;

        Resource(byte[] content, Pace pace) {
            this.content = content;
            this.pace = pace;
        }
    }
}
