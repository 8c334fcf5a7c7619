package io.kakehashi.identity.dcp.holder;

import org.eclipse.edc.spi.result.Result;

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
}
