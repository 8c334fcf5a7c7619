package io.kakehashi.core.security;

import java.util.Collection;

/**
 * Something that holds secrets the connector must never let out: its vault. Implementations are thread-safe.
 */
public interface SecretSource {

    /** The secret values held now. */
    Collection<String> secrets();

    /** A number that changes whenever the secrets change, so a reader can keep what it derived from them until then. */
    long version();
}
