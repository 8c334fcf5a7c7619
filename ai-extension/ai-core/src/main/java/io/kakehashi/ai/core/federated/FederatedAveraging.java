package io.kakehashi.ai.core.federated;

import io.kakehashi.ai.spi.FederatedParticipant;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.ModelWeights;
import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The coordinator of federated averaging (FedAvg), run by the vendor's connector. Each round it sends the global
 * weights to every participant, waits until all have answered or the round's deadline has passed, and averages the
 * updates that came back, weighted by the rows each was trained on. A participant that refuses (its policy, its ε
 * budget), fails or misses the deadline is left out of that round and told so ({@link FederatedParticipant#abandon});
 * a round with fewer answers than the quorum ends the training, keeping the weights of the last complete round. Only
 * weights travel; no participant sees another's update. Thread-safe: one training at a time per call.
 */
public final class FederatedAveraging {

    /** The parameter each round's job gets with its round number (1, 2, …). */
    public static final String ROUND = "round";

    private final List<FederatedParticipant> participants;
    private final Duration roundDeadline;
    private final int quorum;
    private final Clock clock;

    public FederatedAveraging(List<FederatedParticipant> participants, Duration roundDeadline, int quorum, Clock clock) {
        if (participants.isEmpty() || quorum < 1 || quorum > participants.size()) {
            throw new IllegalArgumentException("a quorum between 1 and the %d participants is needed, not %d".formatted(participants.size(), quorum));
        }
        if (roundDeadline.isNegative() || roundDeadline.isZero()) {
            throw new IllegalArgumentException("the round deadline must be positive");
        }
        this.participants = List.copyOf(participants);
        this.roundDeadline = roundDeadline;
        this.quorum = quorum;
        this.clock = clock;
    }

    /**
     * Runs up to {@code rounds} rounds from {@code initial} with the parameters every participant's round job gets
     * (features, label, local epochs, ε, …), plus {@value #ROUND} with the round's number.
     */
    public Result<FederatedTraining> train(double[] initial, Map<String, String> parameters, int rounds) {
        return train(initial, parameters, rounds, (report, weights) -> { });
    }

    /**
     * As {@link #train(double[], Map, int)}, telling {@code afterRound} each round's report and the global weights it
     * ended with (the averaged ones, or those kept when the round had no quorum), on the calling thread.
     */
    public Result<FederatedTraining> train(double[] initial, Map<String, String> parameters, int rounds,
                                           java.util.function.BiConsumer<RoundReport, double[]> afterRound) {
        if (rounds < 1) {
            return Result.failure("rounds: at least one");
        }
        var global = initial.clone();
        var reports = new ArrayList<RoundReport>();
        for (var round = 1; round <= rounds; round++) {
            var started = clock.instant();
            var sent = ModelWeights.encode(global);
            // the round number is part of each round's job, so its description (and hash) differs per round
            var roundParameters = new LinkedHashMap<>(parameters);
            roundParameters.put(ROUND, String.valueOf(round));
            var pending = new LinkedHashMap<FederatedParticipant, CompletableFuture<Result<JobOutput.ModelUpdate>>>();
            for (var participant : participants) {
                pending.put(participant, safely(participant, round, sent, Map.copyOf(roundParameters)));
            }
            var deadline = System.nanoTime() + roundDeadline.toNanos();
            var answered = new ArrayList<String>();
            var dropped = new LinkedHashMap<String, String>();
            var updates = new ArrayList<JobOutput.ModelUpdate>();
            long received = 0;
            for (var entry : pending.entrySet()) {
                var participant = entry.getKey();
                var outcome = await(entry.getValue(), deadline);
                if (outcome.failed()) {
                    dropped.put(participant.id(), outcome.getFailureDetail());
                    participant.abandon(round);
                    continue;
                }
                var update = outcome.getContent();
                if (update.weights().length != global.length || update.sampleCount() < 1) {
                    dropped.put(participant.id(), "its update has %d weights and %d rows; the model has %d weights"
                            .formatted(update.weights().length, update.sampleCount(), global.length));
                    continue;
                }
                answered.add(participant.id());
                updates.add(update);
                received += ModelWeights.encode(update.weights()).length;
            }
            var samples = updates.stream().mapToLong(JobOutput.ModelUpdate::sampleCount).sum();
            var report = new RoundReport(round, answered, dropped, samples, (long) sent.length * participants.size(), received,
                    Duration.between(started, clock.instant()));
            reports.add(report);
            if (updates.size() < quorum) {
                afterRound.accept(report, global.clone());
                return Result.success(new FederatedTraining(global, reports, java.util.Optional.of(
                        "round %d: %d of %d participants answered, the quorum is %d; dropped: %s"
                                .formatted(round, updates.size(), participants.size(), quorum, dropped))));
            }
            global = average(updates, samples, global.length);
            afterRound.accept(report, global.clone());
        }
        return Result.success(new FederatedTraining(global, reports, java.util.Optional.empty()));
    }

    private static double[] average(List<JobOutput.ModelUpdate> updates, long samples, int size) {
        var averaged = new double[size];
        for (var update : updates) {
            var share = (double) update.sampleCount() / samples;
            var weights = update.weights();
            for (var i = 0; i < size; i++) {
                averaged[i] += share * weights[i];
            }
        }
        return averaged;
    }

    private static CompletableFuture<Result<JobOutput.ModelUpdate>> safely(FederatedParticipant participant, int round, byte[] weights,
                                                                          Map<String, String> parameters) {
        try {
            return participant.train(round, weights, parameters);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Result.failure("could not be reached"));
        }
    }

    private static Result<JobOutput.ModelUpdate> await(CompletableFuture<Result<JobOutput.ModelUpdate>> future, long deadlineNanos) {
        try {
            var left = Math.max(0, deadlineNanos - System.nanoTime());
            var result = future.get(left, TimeUnit.NANOSECONDS);
            return result == null ? Result.failure("answered nothing") : result;
        } catch (TimeoutException e) {
            future.cancel(true);
            return Result.failure("missed the round's deadline");
        } catch (ExecutionException e) {
            return Result.failure("failed: " + e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failure("interrupted");
        }
    }
}
