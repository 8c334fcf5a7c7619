package io.kakehashi.identity.dcp.holder;

import io.kakehashi.identity.credentials.VerifiableCredential.Format;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A credential this connector holds, as the issuer's JWT, with its types, validity and how it is secured (which
 * decides the presentation it goes into). Immutable and thread-safe.
 */
public record HeldCredential(String jwt, List<String> types, Instant validFrom, Optional<Instant> validUntil, Format format) {
    public HeldCredential {
        types = List.copyOf(types);
    }

    /** Whether the credential is valid at {@code instant}: started and not ended. */
    public boolean isValidAt(Instant instant) {
        return !instant.isBefore(validFrom) && validUntil.map(instant::isBefore).orElse(true);
    }
}
