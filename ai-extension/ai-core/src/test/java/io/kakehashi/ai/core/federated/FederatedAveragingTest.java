package io.kakehashi.ai.core.federated;

import io.kakehashi.ai.spi.FederatedParticipant;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.ModelWeights;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FederatedAveragingTest {

    /** A participant that answers with whatever the function makes of the round and the global weights. */
    private static FederatedParticipant participant(String id, BiFunction<Integer, double[], CompletableFuture<Result<JobOutput.ModelUpdate>>> answer,
                                                    AtomicInteger abandoned) {
        return new FederatedParticipant() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public CompletableFuture<Result<JobOutput.ModelUpdate>> train(int round, byte[] globalWeights, Map<String, String> parameters) {
                return answer.apply(round, ModelWeights.decode(globalWeights).getContent());
            }

            @Override
            public void abandon(int round) {
                abandoned.incrementAndGet();
            }
        };
    }

    private static FederatedParticipant movingTo(String id, double[] target, long samples) {
        return participant(id, (round, global) -> CompletableFuture.completedFuture(Result.success(new JobOutput.ModelUpdate(target, samples))),
                new AtomicInteger());
    }

    @Test
    void train_shouldAverageUpdatesWeightedByRows() {
        var coordinator = new FederatedAveraging(List.of(movingTo("jp", new double[]{1, 1}, 300), movingTo("de", new double[]{3, -1}, 100)),
                Duration.ofSeconds(5), 2, Clock.systemUTC());

        var training = coordinator.train(new double[]{0, 0}, Map.of(), 1).getContent();

        assertThat(training.completed()).isTrue();
        assertThat(training.weights()[0]).isCloseTo(1.5, within(1e-12));
        assertThat(training.weights()[1]).isCloseTo(0.5, within(1e-12));
        var report = training.rounds().get(0);
        assertThat(report.answered()).containsExactly("jp", "de");
        assertThat(report.samples()).isEqualTo(400);
        assertThat(report.bytesSent()).isEqualTo(2L * ModelWeights.encode(new double[2]).length);
        assertThat(report.bytesReceived()).isEqualTo(2L * ModelWeights.encode(new double[2]).length);
    }

    @Test
    void train_whenAParticipantNeverAnswers_shouldCloseTheRoundAtTheDeadlineWithoutIt() {
        var abandoned = new AtomicInteger();
        var silent = participant("sg", (round, global) -> new CompletableFuture<>(), abandoned);
        var coordinator = new FederatedAveraging(List.of(movingTo("jp", new double[]{2}, 10), movingTo("de", new double[]{4}, 10), silent),
                Duration.ofMillis(200), 2, Clock.systemUTC());

        var training = coordinator.train(new double[]{0}, Map.of(), 2).getContent();

        assertThat(training.completed()).isTrue();
        assertThat(training.rounds()).hasSize(2).allSatisfy(report -> {
            assertThat(report.answered()).containsExactly("jp", "de");
            assertThat(report.dropped()).containsEntry("sg", "missed the round's deadline");
        });
        assertThat(training.weights()[0]).isCloseTo(3, within(1e-12));
        assertThat(abandoned).hasValue(2);
    }

    @Test
    void train_whenFewerThanTheQuorumAnswer_shouldStopWithTheReasonsAndKeepTheLastWeights() {
        var refusing = participant("sg", (round, global) -> CompletableFuture.completedFuture(round == 1
                ? Result.success(new JobOutput.ModelUpdate(new double[]{5}, 10))
                : Result.failure("denied by policy: ai.dpEpsilon: ε 1.0 spent plus 0.5 requested exceeds the agreement's budget of 1.0")),
                new AtomicInteger());
        var coordinator = new FederatedAveraging(List.of(movingTo("jp", new double[]{1}, 10), refusing), Duration.ofSeconds(5), 2, Clock.systemUTC());

        var training = coordinator.train(new double[]{0}, Map.of(), 3).getContent();

        assertThat(training.completed()).isFalse();
        assertThat(training.stoppedBecause()).hasValueSatisfying(why -> assertThat(why)
                .startsWith("round 2: 1 of 2 participants answered, the quorum is 2").contains("ai.dpEpsilon"));
        assertThat(training.rounds()).hasSize(2);
        assertThat(training.weights()[0]).isCloseTo(3, within(1e-12));
    }

    @Test
    void train_shouldTellEachRoundsJobItsRoundNumber() {
        var seen = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var recording = new FederatedParticipant() {
            @Override
            public String id() {
                return "jp";
            }

            @Override
            public CompletableFuture<Result<JobOutput.ModelUpdate>> train(int round, byte[] globalWeights, Map<String, String> parameters) {
                seen.add(parameters.get(FederatedAveraging.ROUND) + ":" + parameters.get("label"));
                return CompletableFuture.completedFuture(Result.success(new JobOutput.ModelUpdate(new double[]{1}, 1)));
            }
        };

        new FederatedAveraging(List.of(recording), Duration.ofSeconds(5), 1, Clock.systemUTC()).train(new double[]{0}, Map.of("label", "failure"), 3);

        assertThat(seen).containsExactly("1:failure", "2:failure", "3:failure");
    }

    @Test
    void train_whenAnUpdateHasTheWrongShape_shouldDropIt() {
        var coordinator = new FederatedAveraging(List.of(movingTo("jp", new double[]{1, 1}, 10), movingTo("odd", new double[]{9}, 10)),
                Duration.ofSeconds(5), 1, Clock.systemUTC());

        var report = coordinator.train(new double[]{0, 0}, Map.of(), 1).getContent().rounds().get(0);

        assertThat(report.answered()).containsExactly("jp");
        assertThat(report.dropped()).containsKey("odd");
    }

    @Test
    void constructor_whenTheQuorumIsImpossible_shouldRefuse() {
        assertThatThrownBy(() -> new FederatedAveraging(List.of(movingTo("jp", new double[]{1}, 1)), Duration.ofSeconds(1), 2, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
