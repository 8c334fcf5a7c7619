package io.kakehashi.policy.constraints;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The purposes a consumer may use data for, as a small hierarchy: {@code ai} ⊃ {@code ai.training},
 * {@code ai.inference}, {@code ai.evaluation}; {@code analytics}; {@code research}; {@code maintenance}. A purpose
 * is within a purpose named in a constraint when it is that purpose or one of its descendants, so an agreement for
 * {@code ai} admits {@code ai.training}. Stateless and thread-safe.
 */
public final class Purposes {

    /** Every known purpose, parents before their children. */
    public static final List<String> ALL = List.of("ai", "ai.training", "ai.inference", "ai.evaluation", "analytics", "research", "maintenance");
    private static final Set<String> KNOWN = Set.copyOf(ALL);

    private Purposes() {
    }

    public static boolean isKnown(String purpose) {
        return KNOWN.contains(purpose);
    }

    /** Whether {@code purpose} is {@code named} or a descendant of it. */
    public static boolean isWithin(String purpose, String named) {
        return purpose.equals(named) || purpose.startsWith(named + ".");
    }

    /** Whether {@code purpose} is within any of {@code named}. */
    public static boolean isWithinAny(String purpose, Iterable<String> named) {
        for (var each : named) {
            if (isWithin(purpose, each)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The purpose a compute job serves, from its type: {@code training} and {@code fl-round} train a model,
     * {@code evaluation} evaluates one, {@code inference} and {@code predict} run one, {@code sql} is analytics. Empty for another type.
     */
    public static Optional<String> ofJobType(String jobType) {
        return Optional.ofNullable(switch (jobType) {
            case "training", "fl-round" -> "ai.training";
            case "evaluation" -> "ai.evaluation";
            case "inference", "predict" -> "ai.inference";
            case "sql", "analytics" -> "analytics";
            default -> null;
        });
    }
}
