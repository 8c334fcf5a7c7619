package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DecisionLogMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DecisionLogMeters meters = new DecisionLogMeters(registry);

    @Test
    void appended_shouldCountEachDecisionByScopeAndOutcome() {
        meters.appended(entry(DecisionScope.CONTRACT_NEGOTIATION, DecisionOutcome.PERMIT));
        meters.appended(entry(DecisionScope.CONTRACT_NEGOTIATION, DecisionOutcome.PERMIT));
        meters.appended(entry(DecisionScope.COMPUTE_RESULT, DecisionOutcome.DENY));

        assertThat(registry.get(DecisionLogMeters.APPENDS).tags("scope", "contract.negotiation", "outcome", "permit").counter().count())
                .isEqualTo(2.0);
        assertThat(registry.get(DecisionLogMeters.APPENDS).tags("scope", "compute.result", "outcome", "deny").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get(DecisionLogMeters.APPEND_FAILURES).counter().count()).isZero();
    }

    @Test
    void failed_shouldCountAFailureAndNoAppend() {
        meters.failed();

        assertThat(registry.get(DecisionLogMeters.APPEND_FAILURES).counter().count()).isEqualTo(1.0);
        assertThat(registry.find(DecisionLogMeters.APPENDS).counter()).isNull();
    }

    @Test
    void appended_shouldTagNeitherCounterpartyNorAgreementNorAsset() {
        meters.appended(entry(DecisionScope.TRANSFER_PROCESS, DecisionOutcome.PERMIT));

        registry.getMeters().forEach(meter -> meter.getId().getTags().forEach(tag ->
                assertThat(tag.getValue()).doesNotContain("did:web:peer", "negotiation-1", "asset-1", "policy-1")));
    }

    private static DecisionEntry entry(DecisionScope scope, DecisionOutcome outcome) {
        return new DecisionEntry(Instant.parse("2026-12-06T09:00:00Z"), scope, "did:web:peer", "negotiation-1", null, null, "asset-1",
                "policy-1", "0".repeat(64), "0".repeat(64), outcome, List.<ConstraintReason>of());
    }
}
