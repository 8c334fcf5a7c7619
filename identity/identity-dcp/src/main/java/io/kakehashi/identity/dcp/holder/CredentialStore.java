package io.kakehashi.identity.dcp.holder;

import java.util.List;

/**
 * The credentials this connector holds. Implementations are thread-safe.
 */
public interface CredentialStore {

    /** Every held credential whose subject is this connector. */
    List<HeldCredential> all();
}
