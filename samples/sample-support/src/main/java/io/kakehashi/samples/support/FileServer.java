package io.kakehashi.samples.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * A data holder's backend in the samples: serves the files of one directory over HTTP on 127.0.0.1, the way an
 * internal data API would. The connector's data plane reads an asset from it. Only plain file names are served.
 * <p>
 * Thread-safe.
 */
public final class FileServer implements AutoCloseable {

    private final HttpServer server;

    private FileServer(HttpServer server) {
        this.server = server;
    }

    public static FileServer serve(Path directory) {
        return serve(directory, InetAddress.getLoopbackAddress());
    }

    /** Serves the directory on a free port of {@code address}, for a backend that another host reads. */
    public static FileServer serve(Path directory, InetAddress address) {
        try {
            var server = HttpServer.create(new InetSocketAddress(address, 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    var name = exchange.getRequestURI().getPath().substring(1);
                    var file = directory.resolve(name).normalize();
                    if (name.isEmpty() || name.contains("/") || !file.startsWith(directory) || !Files.isRegularFile(file)) {
                        exchange.sendResponseHeaders(404, -1);
                        return;
                    }
                    exchange.getResponseHeaders().add("Content-Type", name.endsWith(".csv") ? "text/csv" : "application/octet-stream");
                    if ("HEAD".equals(exchange.getRequestMethod())) {
                        // the gRPC data plane asks for the size first; a HEAD answer has headers only
                        exchange.getResponseHeaders().add("Content-Length", String.valueOf(Files.size(file)));
                        exchange.sendResponseHeaders(200, -1);
                        return;
                    }
                    exchange.sendResponseHeaders(200, Files.size(file));
                    try (var out = exchange.getResponseBody()) {
                        Files.copy(file, out);
                    }
                }
            });
            server.setExecutor(Executors.newCachedThreadPool(DaemonThreads::daemonThread));
            server.start();
            return new FileServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String urlOf(String fileName) {
        var address = server.getAddress().getAddress();
        var host = address.isLoopbackAddress() ? "127.0.0.1" : address.getHostAddress();
        return "http://%s:%d/%s".formatted(host, server.getAddress().getPort(), fileName);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
