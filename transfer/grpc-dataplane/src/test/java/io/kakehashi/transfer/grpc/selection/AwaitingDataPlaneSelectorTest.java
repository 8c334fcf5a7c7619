package io.kakehashi.transfer.grpc.selection;

import org.eclipse.edc.connector.dataplane.selector.service.EmbeddedDataPlaneSelectorService;
import org.eclipse.edc.connector.dataplane.selector.spi.instance.DataPlaneInstance;
import org.eclipse.edc.connector.dataplane.selector.spi.strategy.RandomSelectionStrategy;
import org.eclipse.edc.connector.dataplane.selector.store.InMemoryDataPlaneInstanceStore;
import org.eclipse.edc.connector.dataplane.selector.strategy.DefaultSelectionStrategyRegistry;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.eclipse.edc.transaction.spi.NoopTransactionContext;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.edc.connector.dataplane.selector.spi.instance.DataPlaneInstanceStates.AVAILABLE;
import static org.eclipse.edc.connector.dataplane.selector.spi.instance.DataPlaneInstanceStates.REGISTERED;

/**
 * A provider restarted with a transfer in INITIAL (issue 14, defect 4): EDC's own selector, asked before the embedded
 * data plane is registered and found available, answers "No dataplane found" and the transfer is terminated. The
 * awaiting selector waits, within its window after start, until the data plane is there.
 */
class AwaitingDataPlaneSelectorTest {

    private static final String TRANSFER_TYPE = "GrpcStream-PULL";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    private final MovingClock clock = new MovingClock(Instant.parse("2026-12-06T17:00:00Z"));
    private final InMemoryDataPlaneInstanceStore instances = new InMemoryDataPlaneInstanceStore(clock, CriterionOperatorRegistryImpl.ofDefaults());
    private final EmbeddedDataPlaneSelectorService edcSelector = edcSelector();
    private final AtomicInteger pauses = new AtomicInteger();

    @Test
    void edcsSelector_whenDataPlaneNotYetAvailable_shouldAnswerNoDataplaneFound() {
        instances.save(dataPlane(REGISTERED.code()));

        var selected = edcSelector.select(null, instance -> instance.getAllowedTransferTypes().contains(TRANSFER_TYPE));

        assertThat(selected.reason()).isEqualTo(ServiceFailure.Reason.NOT_FOUND);
        assertThat(selected.getFailureDetail()).contains("No dataplane found");
    }

    @Test
    void select_whenDataPlaneBecomesAvailableWithinTheWindow_shouldSelectIt() {
        instances.save(dataPlane(REGISTERED.code()));
        // the self-registration and the selector's availability check complete while the transfer waits
        var selector = selector(duration -> {
            clock.advance(duration);
            if (pauses.incrementAndGet() == 3) {
                instances.save(dataPlane(AVAILABLE.code()));
            }
            return true;
        });

        var selected = selector.select(null, instance -> instance.getAllowedTransferTypes().contains(TRANSFER_TYPE));

        assertThat(selected.succeeded()).as(selected::getFailureDetail).isTrue();
        assertThat(selected.getContent().getId()).isEqualTo("embedded");
        assertThat(pauses).hasValue(3);
    }

    @Test
    void select_whenNoneBecomesAvailableWithinTheWindow_shouldFailNotFoundNamingTheWait() {
        var selector = selector(duration -> {
            clock.advance(duration);
            pauses.incrementAndGet();
            return true;
        });

        var selected = selector.select(null, instance -> true);

        assertThat(selected.reason()).isEqualTo(ServiceFailure.Reason.NOT_FOUND);
        assertThat(selected.getFailureDetail()).contains("No dataplane found", "PT30S");
        assertThat(pauses).hasValue((int) (WAIT.toMillis() / POLL.toMillis()));
    }

    @Test
    void select_whenADataPlaneIsAvailableButNoneMatches_shouldAnswerAtOnce() {
        // a consumer's transfer asks for a consumer-side data plane for its type, which the connector does not have
        instances.save(dataPlane(AVAILABLE.code()));
        var selector = selector(duration -> {
            clock.advance(duration);
            pauses.incrementAndGet();
            return true;
        });

        var selected = selector.select(null, instance -> instance.getAllowedTransferTypes().contains("HttpData-PULL"));

        assertThat(selected.reason()).isEqualTo(ServiceFailure.Reason.NOT_FOUND);
        assertThat(selected.getFailureDetail()).isEqualTo(edcSelector.select(null, instance -> false).getFailureDetail());
        assertThat(pauses).hasValue(0);
    }

    @Test
    void select_afterTheWindow_shouldAnswerAtOnceAsEdcDoes() {
        var selector = selector(duration -> {
            pauses.incrementAndGet();
            return true;
        });
        clock.advance(WAIT);

        var selected = selector.select(null, instance -> true);

        assertThat(selected.getFailureDetail()).isEqualTo(edcSelector.select(null, instance -> true).getFailureDetail());
        assertThat(pauses).hasValue(0);
    }

    @Test
    void select_whenTheFailureIsNotAMissingDataPlane_shouldNotWait() {
        var selector = selector(duration -> {
            pauses.incrementAndGet();
            return true;
        });

        var selected = selector.select("no-such-strategy", instance -> true);

        assertThat(selected.reason()).isEqualTo(ServiceFailure.Reason.BAD_REQUEST);
        assertThat(pauses).hasValue(0);
    }

    @Test
    void wait_whenNotADuration_shouldNameTheSetting() {
        assertThat(DataPlaneSelectionExtension.wait("PT5S")).isEqualTo(Duration.ofSeconds(5));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DataPlaneSelectionExtension.wait("30s"))
                .hasMessageContaining(DataPlaneSelectionExtension.REGISTRATION_WAIT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DataPlaneSelectionExtension.wait("-PT1S"))
                .hasMessageContaining(DataPlaneSelectionExtension.REGISTRATION_WAIT);
    }

    private AwaitingDataPlaneSelector selector(AwaitingDataPlaneSelector.Pause pause) {
        return new AwaitingDataPlaneSelector(edcSelector, clock, WAIT, POLL, pause);
    }

    private EmbeddedDataPlaneSelectorService edcSelector() {
        var strategies = new DefaultSelectionStrategyRegistry();
        strategies.add(new RandomSelectionStrategy());
        return new EmbeddedDataPlaneSelectorService(instances, strategies, new NoopTransactionContext());
    }

    private static DataPlaneInstance dataPlane(int state) {
        return DataPlaneInstance.Builder.newInstance().id("embedded").url("http://127.0.0.1:1/control/v1/dataflows")
                .allowedTransferType(TRANSFER_TYPE).state(state).build();
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {

        private Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
