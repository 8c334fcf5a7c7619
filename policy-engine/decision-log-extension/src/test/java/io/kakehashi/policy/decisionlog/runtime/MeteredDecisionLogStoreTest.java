package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.policy.decisionlog.spi.ChainHead;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionQuery;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.spi.result.StoreResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeteredDecisionLogStoreTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void append_shouldCountEachDurableDecisionByScopeAndOutcome() {
        var store = new MeteredDecisionLogStore(new AcceptingStore(), registry);

        store.append(entry(DecisionScope.CONTRACT_NEGOTIATION, DecisionOutcome.PERMIT));
        store.append(entry(DecisionScope.CONTRACT_NEGOTIATION, DecisionOutcome.PERMIT));
        store.append(entry(DecisionScope.COMPUTE_RESULT, DecisionOutcome.DENY));

        assertThat(registry.get(MeteredDecisionLogStore.APPENDS).tags("scope", "contract.negotiation", "outcome", "permit").counter().count())
                .isEqualTo(2.0);
        assertThat(registry.get(MeteredDecisionLogStore.APPENDS).tags("scope", "compute.result", "outcome", "deny").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get(MeteredDecisionLogStore.APPEND_FAILURES).counter().count()).isZero();
    }

    @Test
    void append_whenTheStoreFails_shouldCountAFailureAndNoAppendAndRethrow() {
        var store = new MeteredDecisionLogStore(new FailingStore(), registry);

        assertThatThrownBy(() -> store.append(entry(DecisionScope.CATALOG, DecisionOutcome.PERMIT))).isInstanceOf(EdcPersistenceException.class);

        assertThat(registry.get(MeteredDecisionLogStore.APPEND_FAILURES).counter().count()).isEqualTo(1.0);
        assertThat(registry.find(MeteredDecisionLogStore.APPENDS).counter()).isNull();
    }

    private static DecisionEntry entry(DecisionScope scope, DecisionOutcome outcome) {
        return new DecisionEntry(Instant.parse("2026-12-06T09:00:00Z"), scope, "did:web:peer", "negotiation-1", null, null, "asset-1",
                "policy-1", "0".repeat(64), "0".repeat(64), outcome, List.<ConstraintReason>of());
    }

    private static class AcceptingStore implements DecisionLogStore {
        @Override
        public StoredDecision append(DecisionEntry entry) {
            return null;
        }

        @Override
        public StoreResult<StoredDecision> read(long position) {
            return StoreResult.notFound("none");
        }

        @Override
        public ChainHead head() {
            return null;
        }

        @Override
        public List<StoredDecision> query(DecisionQuery query) {
            return List.of();
        }

        @Override
        public List<StoredDecision> readRange(long fromPosition, int max) {
            return List.of();
        }
    }

    private static final class FailingStore extends AcceptingStore {
        @Override
        public StoredDecision append(DecisionEntry entry) {
            throw new EdcPersistenceException("disk full");
        }
    }
}
