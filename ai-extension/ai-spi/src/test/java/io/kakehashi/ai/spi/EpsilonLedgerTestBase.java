package io.kakehashi.ai.spi;

import org.junit.jupiter.api.Test;

import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The contract every {@link EpsilonLedger} keeps. An implementation subclasses it and provides the ledger. */
public abstract class EpsilonLedgerTestBase {

    protected abstract EpsilonLedger ledger();

    @Test
    void spent_whenNothingCharged_shouldBeZero() {
        assertThat(ledger().spent("agreement-1")).isZero();
    }

    @Test
    void charge_withinBudget_shouldAddUp() {
        assertThat(ledger().charge("agreement-1", "job-1", 0.4, 1.0).getContent()).isCloseTo(0.4, within(1e-12));
        assertThat(ledger().charge("agreement-1", "job-2", 0.6, 1.0).getContent()).isCloseTo(1.0, within(1e-12));
        assertThat(ledger().spent("agreement-1")).isCloseTo(1.0, within(1e-12));
        assertThat(ledger().spent("agreement-2")).isZero();
    }

    @Test
    void charge_beyondBudget_shouldFailWithReasonAndChargeNothing() {
        ledger().charge("agreement-1", "job-1", 0.8, 1.0);

        var refused = ledger().charge("agreement-1", "job-2", 0.3, 1.0);

        assertThat(refused.failed()).isTrue();
        assertThat(refused.getFailureDetail()).contains("ai.dpEpsilon").contains("budget");
        assertThat(ledger().spent("agreement-1")).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void charge_whenBudgetSpent_shouldRefuseEvenATinyCharge() {
        ledger().charge("agreement-1", "job-1", 1.0, 1.0);

        assertThat(ledger().charge("agreement-1", "job-2", 1e-9, 1.0).failed()).isTrue();
    }

    @Test
    void charge_sameChargeIdTwice_shouldCountOnce() {
        ledger().charge("agreement-1", "job-1", 0.5, 1.0);

        var again = ledger().charge("agreement-1", "job-1", 0.5, 1.0);

        assertThat(again.succeeded()).isTrue();
        assertThat(ledger().spent("agreement-1")).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void charge_nonPositiveOrNotFinite_shouldFail() {
        assertThat(ledger().charge("agreement-1", "job-1", 0, 1.0).failed()).isTrue();
        assertThat(ledger().charge("agreement-1", "job-2", -0.1, 1.0).failed()).isTrue();
        assertThat(ledger().charge("agreement-1", "job-3", Double.NaN, 1.0).failed()).isTrue();
        assertThat(ledger().spent("agreement-1")).isZero();
    }

    @Test
    void charge_concurrently_shouldNeverExceedTheBudget() throws Exception {
        var executor = Executors.newFixedThreadPool(4);
        try {
            var results = IntStream.range(0, 20)
                    .mapToObj(i -> executor.submit(() -> ledger().charge("agreement-1", "job-" + i, 0.25, 1.0)))
                    .toList();
            var admitted = 0;
            for (var result : results) {
                admitted += result.get(10, TimeUnit.SECONDS).succeeded() ? 1 : 0;
            }
            assertThat(admitted).isEqualTo(4);
            assertThat(ledger().spent("agreement-1")).isCloseTo(1.0, within(1e-12));
        } finally {
            executor.shutdownNow();
        }
    }
}
