package io.kakehashi.identity.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A certification a peer holds according to a verified credential (for example {@code ISO27001}), with the validity
 * dates the credential states. Immutable and thread-safe.
 *
 * @param name       the certification's name as the issuer wrote it, e.g. {@code ISO27001} or {@code ISMS}
 * @param validFrom  when the certification starts to be valid
 * @param validUntil when it stops being valid; empty when the credential sets no end
 */
public record Certification(String name, Instant validFrom, Optional<Instant> validUntil) {

    /** Key of the name in the claim's map form. */
    public static final String NAME = "name";
    /** Key of the start of validity (ISO 8601 instant) in the claim's map form. */
    public static final String VALID_FROM = "validFrom";
    /** Key of the end of validity (ISO 8601 instant) in the claim's map form. */
    public static final String VALID_UNTIL = "validUntil";

    public Certification {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
    }

    /** Whether the certification is valid at the given instant: started, and not yet ended. */
    public boolean isValidAt(Instant instant) {
        return !instant.isBefore(validFrom) && validUntil.map(instant::isBefore).orElse(true);
    }

    /** The map form this certification takes inside a claim token (strings only, so it survives serialisation). */
    public Map<String, Object> toClaim() {
        return validUntil.<Map<String, Object>>map(until -> Map.of(NAME, name, VALID_FROM, validFrom.toString(), VALID_UNTIL, until.toString()))
                .orElseGet(() -> Map.of(NAME, name, VALID_FROM, validFrom.toString()));
    }

    /** Reads the map form; anything malformed is empty. */
    static Optional<Certification> fromClaim(Object claim) {
        if (!(claim instanceof Map<?, ?> map) || !(map.get(NAME) instanceof String name) || name.isBlank()
                || !(map.get(VALID_FROM) instanceof String from)) {
            return Optional.empty();
        }
        try {
            var until = map.get(VALID_UNTIL);
            if (until != null && !(until instanceof String)) {
                return Optional.empty();
            }
            return Optional.of(new Certification(name, Instant.parse(from), Optional.ofNullable((String) until).map(Instant::parse)));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
