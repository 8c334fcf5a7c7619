package io.kakehashi.ai.ml;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The output guard of a model job that reads its whole asset into one output (metrics, a model update): under
 * {@code ai.minAggregation = k} that output must cover at least k rows, or over personal data at least k distinct data
 * subjects ({@link AssetColumns#coverage()}). Stateless and thread-safe.
 */
final class Coverage {

    private Coverage() {
    }

    /**
     * The refusal, in the guard's words, when the rows read cover less than k; empty when there is no guard or they
     * cover enough.
     *
     * @param what what the output would be made of ("the metrics would cover"), followed in the reason by the count
     */
    static Optional<String> refusal(OptionalLong k, AssetColumns data, String what) {
        if (k.isEmpty()) {
            return Optional.empty();
        }
        var covered = data.coverage();
        if (covered >= k.getAsLong()) {
            return Optional.empty();
        }
        return Optional.of(data.countsSubjects()
                ? "output guard (ai.minAggregation = %d): %s %s; ai.minAggregation requires at least %d".formatted(k.getAsLong(), what,
                data.inWords(covered), k.getAsLong())
                : "output guard (ai.minAggregation = %d): %s %d rows".formatted(k.getAsLong(), what, covered));
    }
}
