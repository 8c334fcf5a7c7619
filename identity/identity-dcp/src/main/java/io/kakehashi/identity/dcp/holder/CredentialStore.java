package io.kakehashi.identity.dcp.holder;

import org.eclipse.edc.spi.result.Result;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The credentials this connector holds. Implementations are thread-safe.
 */
public interface CredentialStore {

    /** Every held credential whose subject is this connector. */
    List<HeldCredential> all();

    /**
     * Keeps the given credential JWTs (already verified by the caller); all or none. Storing one already held again
     * changes nothing.
     */
    Result<Void> store(List<String> credentialJwts);

    /**
     * A fingerprint of the set of held credentials: the SHA-256 of their JWTs in order. It changes exactly when a
     * credential is received, replaced or removed.
     */
    default String fingerprint() {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            all().stream().map(HeldCredential::jwt).sorted().forEach(jwt -> {
                digest.update(jwt.getBytes(StandardCharsets.US_ASCII));
                digest.update((byte) '\n');
            });
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
