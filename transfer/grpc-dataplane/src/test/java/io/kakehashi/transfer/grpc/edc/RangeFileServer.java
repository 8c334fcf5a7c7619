package io.kakehashi.transfer.grpc.edc;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** A test HTTP server on 127.0.0.1 serving one file, with HEAD and byte ranges (the backend of an HttpData asset). */
final class RangeFileServer implements AutoCloseable {

    private final HttpServer server;

    RangeFileServer(Path file) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/data", exchange -> {
            var size = Files.size(file);
            var range = exchange.getRequestHeaders().getFirst("Range");
            long from = range == null ? 0 : Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Content-Length", String.valueOf(size));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(range == null ? 200 : 206, size - from);
            try (var in = Files.newInputStream(file); var out = exchange.getResponseBody()) {
                in.skipNBytes(from);
                in.transferTo(out);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:%d/data".formatted(server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
