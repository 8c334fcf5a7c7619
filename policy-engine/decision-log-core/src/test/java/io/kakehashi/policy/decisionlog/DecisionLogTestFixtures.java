package io.kakehashi.policy.decisionlog;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Test data for the decision log: entries that differ in every queryable field, keys and a settable clock.
 */
public final class DecisionLogTestFixtures {

    public static final Instant START = Instant.parse("2026-11-23T09:00:00Z");
    public static final String CONSUMER_A = "did:web:consumer-a.example";
    public static final String CONSUMER_B = "did:web:consumer-b.example";

    private DecisionLogTestFixtures() {
    }

    /**
     * Entry {@code i} (0-based): minute {@code i} after START; counterparty A for even i, B for odd; agreement
     * {@code agreement-(i % 3)}; asset {@code asset-(i % 2)}; scope cycling through the four; DENY when i % 4 == 3.
     */
    public static DecisionEntry entry(int i) {
        var deny = i % 4 == 3;
        var outcome = deny ? DecisionOutcome.DENY : DecisionOutcome.PERMIT;
        return DecisionEntry.builder()
                .time(START.plus(Duration.ofMinutes(i)))
                .scope(DecisionScope.values()[i % 4])
                .counterpartyId(i % 2 == 0 ? CONSUMER_A : CONSUMER_B)
                .negotiationId("negotiation-" + i)
                .agreementId("agreement-" + (i % 3))
                .transferId(i % 4 == 2 ? "transfer-" + i : null)
                .assetId("asset-" + (i % 2))
                .policyId("policy-" + (i % 2))
                .policyHash("ab".repeat(32))
                .claimsDigest("cd".repeat(32))
                .outcome(outcome)
                .reasons(List.of(
                        new ConstraintReason("purpose", DecisionOutcome.PERMIT, "purpose ai.training is within ai"),
                        new ConstraintReason("jurisdiction", outcome, deny ? "consumer country US is not in EU_EEA" : "consumer country DE is in EU_EEA")))
                .build();
    }

    /** A lowercase hex SHA-256 made of one repeated hex digit pair, e.g. {@code sha('7')}. */
    public static String sha(char hexDigit) {
        return String.valueOf(hexDigit).repeat(64);
    }

    /**
     * A compute decision carrying named digests: the job's description {@code job} (made from {@code i}), and, when
     * released, the {@code result}.
     */
    public static DecisionEntry computeDecision(int i, DecisionScope scope, String jobDigest, String resultDigest) {
        var builder = DecisionEntry.builder()
                .time(START.plus(Duration.ofSeconds(i)))
                .scope(scope)
                .counterpartyId(CONSUMER_A)
                .agreementId("agreement-compute")
                .assetId("asset-compute")
                .outcome(DecisionOutcome.PERMIT)
                .reasons(List.of(new ConstraintReason("outputGuard", DecisionOutcome.PERMIT, "every group has at least 5 rows")))
                .digest("job", jobDigest);
        if (resultDigest != null) {
            builder.digest("result", resultDigest);
        }
        return builder.build();
    }

    /**
     * A denied entry with only the required fields, to tamper with.
     */
    public static DecisionEntry denied(int i) {
        return DecisionEntry.builder()
                .time(START.plus(Duration.ofSeconds(i)))
                .scope(DecisionScope.CONTRACT_NEGOTIATION)
                .counterpartyId(CONSUMER_B)
                .agreementId("agreement-" + i)
                .outcome(DecisionOutcome.DENY)
                .reasons(List.of(new ConstraintReason("jurisdiction", DecisionOutcome.DENY, "consumer country US is not in EU_EEA")))
                .build();
    }

    public static ECKey newKey(String keyId) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A clock that stands still until moved.
     */
    public static final class SettableClock extends Clock {
        private volatile Instant now;

        public SettableClock(Instant now) {
            this.now = now;
        }

        public void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
