package io.kakehashi.identity.issuer;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Serves an authority's public files at its DID's web address: {@code did.json} (or {@code /.well-known/did.json} for a
 * bare host) and the status list at {@code status-list.jwt}, read from disk on every request so that a revocation
 * shows at once. Serves nothing else. The status list is chosen by the request's {@code Accept}: the signed
 * {@code vc+jwt} (Kakehashi reads only that) when it is absent or names {@code application/vc+jwt} or
 * {@code application/jwt}; otherwise, when it admits JSON ({@code application/json}, {@code application/vc+ld+json},
 * {@code application/vc}, {@code application/ld+json}, {@code application/*} or {@code *}{@code /*} — EDC 0.15.1 sends
 * {@code *}{@code /*} and parses the body only as a JSON credential), the same credential as plain JSON; anything
 * else is a 406 (docs/decisions/0030). HTTPS (TLS 1.2 or 1.3) when given an SSL context, as did:web requires between
 * hosts; plain HTTP only for tests and samples on one machine. Samples may start it in-process; it binds where it is
 * told (127.0.0.1 in tests and samples). Thread-safe; {@link #close()} stops it.
 */
public final class AuthorityFileServer implements AutoCloseable {

    private static final Set<String> JWT_TYPES = Set.of("application/vc+jwt", "application/jwt");
    private static final Set<String> JSON_TYPES = Set.of("application/json", "application/vc+ld+json", "application/vc",
            "application/ld+json", "application/*", "*/*");

    private final HttpServer server;

    private AuthorityFileServer(HttpServer server) {
        this.server = server;
    }

    /** Serves {@code authority}'s public files over plain HTTP on {@code host:port} (0 for any free port) until closed. */
    public static AuthorityFileServer start(Authority authority, String host, int port) throws IOException {
        return start(authority, host, port, null);
    }

    /**
     * Serves {@code authority}'s public files on {@code host:port} (0 for any free port) until closed, over HTTPS with
     * the given context's key, or plain HTTP when {@code tls} is null.
     */
    public static AuthorityFileServer start(Authority authority, String host, int port, SSLContext tls) throws IOException {
        var address = new InetSocketAddress(host, port);
        HttpServer server;
        if (tls == null) {
            server = HttpServer.create(address, 0);
        } else {
            var https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters parameters) {
                    var ssl = getSSLContext().getDefaultSSLParameters();
                    ssl.setProtocols(TlsKeystore.PROTOCOLS);
                    parameters.setSSLParameters(ssl);
                }
            });
            server = https;
        }
        var base = authority.webDid().path().isEmpty() ? "" : "/" + authority.webDid().path();
        var didPath = authority.webDid().path().isEmpty() ? "/.well-known/did.json" : base + "/did.json";
        var statusPath = base + "/status-list.jwt";
        server.createContext("/", exchange -> {
            try (exchange) {
                var path = exchange.getRequestURI().getPath();
                var statusForm = path.equals(statusPath) ? statusListForm(exchange.getRequestHeaders().get("Accept")) : null;
                if (path.equals(statusPath) && statusForm == null) {
                    exchange.sendResponseHeaders(406, -1);
                    return;
                }
                var file = path.equals(didPath) ? authority.publicDirectory().resolve("did.json")
                        : path.equals(statusPath) ? authority.publicDirectory().resolve(statusForm) : null;
                if (file == null || !"GET".equals(exchange.getRequestMethod()) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                var bytes = Files.readAllBytes(file);
                exchange.getResponseHeaders().add("Content-Type", file.endsWith("did.json") ? "application/did+json"
                        : file.getFileName().toString().endsWith(".json") ? "application/vc+ld+json" : "application/vc+jwt");
                exchange.getResponseHeaders().add("Vary", "Accept");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
        return new AuthorityFileServer(server);
    }

    /**
     * The status list file for the {@code Accept} headers of a request: {@code status-list.jwt},
     * {@code status-list.json}, or null when the request accepts neither.
     */
    static String statusListForm(List<String> acceptHeaders) {
        if (acceptHeaders == null || acceptHeaders.isEmpty()) {
            return "status-list.jwt";
        }
        var types = acceptHeaders.stream().flatMap(header -> Arrays.stream(header.split(",")))
                .map(type -> type.split(";")[0].trim().toLowerCase(Locale.ROOT)).filter(type -> !type.isEmpty()).toList();
        if (types.isEmpty() || types.stream().anyMatch(JWT_TYPES::contains)) {
            return "status-list.jwt";
        }
        return types.stream().anyMatch(JSON_TYPES::contains) ? "status-list.json" : null;
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
