package io.kakehashi.ai.models;

import io.kakehashi.testfixtures.Concurrently;
import io.kakehashi.testfixtures.StoreContractTestBase;
import org.eclipse.edc.spi.result.ServiceResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link ModelRunLedger} promises; each implementation subclasses it. */
public abstract class ModelRunLedgerTestBase extends StoreContractTestBase<ModelRunLedger> {

    private static final String AGREEMENT = "agreement-1";
    private static final Instant TIME = Instant.parse("2026-12-07T03:00:00.987654321Z");

    protected static ModelRun admitted(String agreement, long run) {
        return new ModelRun(agreement, run, "run-" + run, TIME.plusSeconds(run), "holder-asset", "ab".repeat(32), ModelRun.State.ADMITTED, 0, null, null,
                false);
    }

    // the decision ModelRuns takes, reduced to its limit
    protected static ServiceResult<ModelRun> underLimit(String agreement, long soFar, long limit) {
        return soFar < limit ? ServiceResult.success(admitted(agreement, soFar + 1))
                : ServiceResult.unauthorized("ai.inferenceRuns: %d runs admitted of %d".formatted(soFar, limit));
    }

    @Test
    void admit_shouldNumberTheRunsFromOneAndCountThem() {
        for (var i = 0; i < 3; i++) {
            assertThat(store().admit(AGREEMENT, soFar -> underLimit(AGREEMENT, soFar, 10)).succeeded()).isTrue();
        }

        assertThat(store().admitted(AGREEMENT)).isEqualTo(3);
        assertThat(store().runs(AGREEMENT)).containsExactly(admitted(AGREEMENT, 1), admitted(AGREEMENT, 2), admitted(AGREEMENT, 3));
        assertThat(store().admitted("another-agreement")).isZero();
        assertThat(store().runs("another-agreement")).isEmpty();
    }

    @Test
    void admit_whenRefused_shouldWriteNothing() {
        store().admit(AGREEMENT, soFar -> underLimit(AGREEMENT, soFar, 1));

        var refused = store().admit(AGREEMENT, soFar -> underLimit(AGREEMENT, soFar, 1));

        assertThat(refused.failed()).isTrue();
        assertThat(refused.getFailureDetail()).contains("1 runs admitted of 1");
        assertThat(store().admitted(AGREEMENT)).isEqualTo(1);
    }

    @Test
    void write_shouldKeepTheLatestStateAndNeverUndoAReportTaken() {
        store().admit(AGREEMENT, soFar -> underLimit(AGREEMENT, soFar, 10));
        var run = admitted(AGREEMENT, 1);
        store().write(run.reportedToVendor());
        // the run's thread finishes with its copy from before the report was taken
        store().write(run.completed(300, "/predictions/run-1.csv"));
        store().admit(AGREEMENT, soFar -> underLimit(AGREEMENT, soFar, 10));

        assertThat(store().runs(AGREEMENT)).containsExactly(run.completed(300, "/predictions/run-1.csv").reportedToVendor(), admitted(AGREEMENT, 2));
        assertThat(store().unreported(AGREEMENT)).containsExactly(admitted(AGREEMENT, 2));
        assertThat(store().admitted(AGREEMENT)).isEqualTo(2);
    }

    @Test
    void runs_shouldReadBackExactlyAfterARestart() {
        store().admit(AGREEMENT, soFar -> underLimit(AGREEMENT, soFar, 10));
        store().write(admitted(AGREEMENT, 1).failed("the model could not be run"));
        store().admit(AGREEMENT, soFar -> underLimit(AGREEMENT, soFar, 10));

        var restarted = open();

        assertThat(restarted.runs(AGREEMENT)).containsExactly(admitted(AGREEMENT, 1).failed("the model could not be run"), admitted(AGREEMENT, 2));
        // and it goes on counting where the old one stopped
        assertThat(restarted.admit(AGREEMENT, soFar -> underLimit(AGREEMENT, soFar, 3)).getContent().run()).isEqualTo(3);
        assertThat(restarted.admit(AGREEMENT, soFar -> underLimit(AGREEMENT, soFar, 3)).failed()).isTrue();
    }

    @Test
    void admit_whenTwoInstancesDecideAtTheLimitAtOnce_shouldRefuseOne() throws Exception {
        var instances = List.of(store(), replica());
        for (var round = 0; round < 10; round++) {
            var agreement = "agreement-" + round;
            // two runs admitted of three: one is left
            instances.get(0).admit(agreement, soFar -> underLimit(agreement, soFar, 3));
            instances.get(1).admit(agreement, soFar -> underLimit(agreement, soFar, 3));
            var calls = new ArrayList<Callable<ServiceResult<ModelRun>>>();
            instances.forEach(instance -> calls.add(() -> instance.admit(agreement, soFar -> underLimit(agreement, soFar, 3))));

            var answers = Concurrently.call(calls);

            assertThat(answers).filteredOn(ServiceResult::succeeded).hasSize(1);
            assertThat(answers).filteredOn(ServiceResult::failed).singleElement()
                    .satisfies(refused -> assertThat(refused.getFailureDetail()).contains("3 runs admitted of 3"));
            assertThat(store().runs(agreement)).extracting(ModelRun::run).containsExactly(1L, 2L, 3L);
        }
    }
}
