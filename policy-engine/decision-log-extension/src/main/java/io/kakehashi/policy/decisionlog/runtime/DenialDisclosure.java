package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.policy.decisionlog.spi.ConstraintReason;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How much a refused peer is told about why (setting {@value #SETTING}). The decision log always keeps the full
 * reasons; this only shapes the message that leaves the connector. Immutable and thread-safe.
 */
public enum DenialDisclosure {
    /** every failed constraint with its reason, e.g. "jurisdiction: consumer country US is not in EU_EEA" */
    FULL,
    /** only the names of the failed constraints, e.g. "consumerJurisdiction" */
    CONSTRAINTS,
    /** only that the policy denied */
    NONE;

    public static final String SETTING = "kakehashi.policy.denial.disclosure";
    static final String PREFIX = "denied by policy";

    public static Optional<DenialDisclosure> parse(String value) {
        try {
            return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /**
     * The message for a denial with these failed constraints.
     */
    public String describe(List<ConstraintReason> denied) {
        return switch (this) {
            case FULL -> denied.isEmpty() ? PREFIX : PREFIX + ": " + denied.stream().map(ConstraintReason::reason).distinct()
                    .collect(Collectors.joining("; "));
            case CONSTRAINTS -> denied.isEmpty() ? PREFIX : PREFIX + ": not satisfied: " + denied.stream().map(ConstraintReason::constraint)
                    .distinct().collect(Collectors.joining(", "));
            case NONE -> PREFIX;
        };
    }
}
