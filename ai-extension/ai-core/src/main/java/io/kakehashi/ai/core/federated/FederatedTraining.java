package io.kakehashi.ai.core.federated;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of a federated training: the global weights after the last completed round, the report of every round,
 * and why it stopped early, if it did (a round without a quorum). Immutable and thread-safe.
 */
public record FederatedTraining(double[] weights, List<RoundReport> rounds, Optional<String> stoppedBecause) {

    public FederatedTraining {
        weights = weights.clone();
        rounds = List.copyOf(rounds);
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    public boolean completed() {
        return stoppedBecause.isEmpty();
    }
}
