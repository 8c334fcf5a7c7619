package io.kakehashi.identity.dcp.holder;

import java.util.List;

/**
 * A credential this connector holds, as the issuer's JWT, with its types. Immutable and thread-safe.
 */
public record HeldCredential(String jwt, List<String> types) {
    public HeldCredential {
        types = List.copyOf(types);
    }
}
