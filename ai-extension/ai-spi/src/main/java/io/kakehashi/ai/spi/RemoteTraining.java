package io.kakehashi.ai.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A federated training the vendor's connector coordinates, as it keeps it: who takes part (one entry per agreement),
 * how many rounds, the quorum and the deadline of a round, the report of every finished round, the global weights
 * after the last one, where it stands and why it stopped. Immutable and thread-safe.
 */
public record RemoteTraining(String id, State state, int rounds, List<String> participants, int quorum, String roundDeadline,
                             List<Round> reports, List<Double> weights, String reason, Instant createdAt, Instant updatedAt) {

    /** Where a training stands; every state but RUNNING is final. */
    public enum State {
        RUNNING, COMPLETED, STOPPED, FAILED;

        public boolean isFinal() {
            return this != RUNNING;
        }
    }

    /** A finished round: who answered, who dropped out and why, rows, bytes, time, each holder's job of that round. */
    public record Round(int round, List<String> answered, Map<String, String> dropped, long samples, long bytesSent,
                        long bytesReceived, long durationMillis, Map<String, String> jobs) {

        public Round {
            answered = List.copyOf(answered);
            dropped = Map.copyOf(dropped);
            jobs = Map.copyOf(jobs);
        }
    }

    public RemoteTraining {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        participants = List.copyOf(participants);
        Objects.requireNonNull(roundDeadline, "roundDeadline");
        reports = List.copyOf(reports);
        weights = List.copyOf(weights);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A training about to start its first round. */
    public static RemoteTraining running(String id, int rounds, List<String> participants, int quorum, String roundDeadline,
                                         List<Double> initialWeights, Instant now) {
        return new RemoteTraining(id, State.RUNNING, rounds, participants, quorum, roundDeadline, List.of(), initialWeights, null, now, now);
    }

    public RemoteTraining with(State next, List<Round> nextReports, List<Double> nextWeights, String why, Instant now) {
        return new RemoteTraining(id, next, rounds, participants, quorum, roundDeadline, nextReports, nextWeights, why, createdAt, now);
    }

    /** The round a running training is in: the one after its last report. */
    public int currentRound() {
        return reports.isEmpty() ? 1 : reports.get(reports.size() - 1).round() + 1;
    }
}
