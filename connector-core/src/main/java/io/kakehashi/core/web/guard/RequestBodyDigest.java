package io.kakehashi.core.web.guard;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The SHA-256 of the JSON body of the DSP request being handled on this thread, taken where the body is read anyway
 * ({@link JsonBodyInterceptor}) and forgotten at the start of every guarded request ({@link RequestEnvelopeFilter}).
 * Lets the protocol layer tell a request sent again byte for byte from another one that carries the same token
 * ({@code io.kakehashi.core.protocol.RepeatedMessages}). Empty outside such a request or for one without a body.
 */
public final class RequestBodyDigest {

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private RequestBodyDigest() {
    }

    /** The hex SHA-256 of the current request's JSON body, if it had one. */
    public static Optional<String> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    static void of(byte[] body) {
        try {
            CURRENT.set(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    static void clear() {
        CURRENT.remove();
    }
}
