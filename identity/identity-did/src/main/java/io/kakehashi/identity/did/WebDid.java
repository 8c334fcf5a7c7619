package io.kakehashi.identity.did;

import okhttp3.HttpUrl;
import org.eclipse.edc.spi.result.Result;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code did:web} identifier and the web addresses it stands for (W3C did:web method): {@code did:web:host%3Aport:a:b}
 * is served at {@code https://host:port/a/b/did.json}, {@code did:web:host} at {@code https://host/.well-known/did.json}.
 * <p>
 * Plain {@code http} is used only for loopback hosts and only when the caller allows it (tests and samples on one
 * machine); everything else is {@code https}. Immutable and thread-safe.
 *
 * @param did  the identifier as written
 * @param host the host name or address
 * @param port the port, or -1 for the scheme's default
 * @param path the path segments joined with {@code /}, empty for a bare host
 */
public record WebDid(String did, String host, int port, String path) {

    private static final String PREFIX = "did:web:";
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    /**
     * Parses a {@code did:web}; the failure says what is wrong with it.
     */
    public static Result<WebDid> parse(String did) {
        if (did == null || !did.startsWith(PREFIX) || did.length() == PREFIX.length()) {
            return Result.failure("'%s' is not a did:web identifier".formatted(did));
        }
        var specific = did.substring(PREFIX.length());
        if (specific.contains("#") || specific.contains("?") || specific.contains("/") || specific.endsWith(":")) {
            return Result.failure("'%s' is not a plain did:web identifier (no fragment, query, slash or trailing ':')".formatted(did));
        }
        var segments = specific.split(":");
        var authority = decode(segments[0]);
        if (authority == null) {
            return Result.failure("did:web '%s' has an invalid percent-encoding".formatted(did));
        }
        String host = authority;
        var port = -1;
        var colon = authority.lastIndexOf(':');
        if (colon > 0 && !authority.endsWith("]")) {
            host = authority.substring(0, colon);
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                return Result.failure("did:web '%s' has an invalid port".formatted(did));
            }
            if (port < 1 || port > 65535) {
                return Result.failure("did:web '%s' has an invalid port".formatted(did));
            }
        }
        if (host.isBlank()) {
            return Result.failure("did:web '%s' has no host".formatted(did));
        }
        var path = new StringBuilder();
        for (int i = 1; i < segments.length; i++) {
            if (segments[i].isBlank()) {
                return Result.failure("did:web '%s' has an empty path segment".formatted(did));
            }
            var segment = decode(segments[i]);
            if (segment == null) {
                return Result.failure("did:web '%s' has an invalid percent-encoding".formatted(did));
            }
            path.append(i > 1 ? "/" : "").append(segment);
        }
        var parsed = new WebDid(did, host.toLowerCase(Locale.ROOT), port, path.toString());
        // a host or path that is no valid web address would otherwise surface as an exception where the document is fetched
        try {
            if (HttpUrl.parse(parsed.documentUrl(false).toString()) == null) {
                return Result.failure("did:web '%s' does not name a valid web address".formatted(did));
            }
        } catch (IllegalArgumentException e) {
            return Result.failure("did:web '%s' does not name a valid web address".formatted(did));
        }
        return Result.success(parsed);
    }

    /** The percent-decoded text, or null when an escape is malformed. */
    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether the host is this machine's loopback interface. */
    public boolean isLoopback() {
        return LOOPBACK.contains(host);
    }

    /**
     * The base address of this DID's web space: where {@code did.json} lives (without the {@code .well-known} of a bare
     * host), and where Kakehashi serves the credential service.
     */
    public URI baseUrl(boolean allowHttpForLoopback) {
        var scheme = allowHttpForLoopback && isLoopback() ? "http" : "https";
        var authority = port < 0 ? host : host + ":" + port;
        return URI.create(scheme + "://" + authority + (path.isEmpty() ? "" : "/" + path));
    }

    /** Where the DID document is fetched from. */
    public URI documentUrl(boolean allowHttpForLoopback) {
        var base = baseUrl(allowHttpForLoopback).toString();
        return URI.create(path.isEmpty() ? base + "/.well-known/did.json" : base + "/did.json");
    }
}
