package io.kakehashi.core.api;

import org.eclipse.edc.api.auth.spi.AuthenticationService;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Authenticates a request by its {@code x-api-key} header: exactly one value, equal to the configured key byte for
 * byte (case-sensitive). EDC 0.15.1's token-based service compares ignoring case, which accepts the key upper-cased
 * and so shrinks the key space; this one compares the SHA-256 digests of the UTF-8 bytes with
 * {@link MessageDigest#isEqual}, so neither the case nor the time the comparison takes tells a caller anything about
 * the key. The key itself is not kept, only its digest. Immutable and thread-safe.
 */
public final class ApiKeyAuthenticationService implements AuthenticationService {

    public static final String HEADER = "x-api-key";

    private final byte[] keyDigest;

    public ApiKeyAuthenticationService(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("an API key must not be empty");
        }
        this.keyDigest = sha256(key);
    }

    @Override
    public boolean isAuthenticated(Map<String, List<String>> headers) {
        Objects.requireNonNull(headers, "headers");
        var values = headers.entrySet().stream()
                .filter(header -> HEADER.equalsIgnoreCase(header.getKey()))
                .map(Map.Entry::getValue)
                .filter(Objects::nonNull)
                .flatMap(List::stream)
                .toList();
        return values.size() == 1 && values.get(0) != null && MessageDigest.isEqual(keyDigest, sha256(values.get(0)));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            // every Java platform must provide SHA-256 (java.security.MessageDigest's contract)
            throw new IllegalStateException(e);
        }
    }
}
