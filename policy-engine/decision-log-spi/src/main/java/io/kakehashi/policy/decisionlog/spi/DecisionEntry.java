package io.kakehashi.policy.decisionlog.spi;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * One policy decision as the log records it. {@code time}, {@code scope}, {@code counterpartyId}, {@code outcome}
 * and {@code reasons} are required; the process ids, asset, policy and digests are null when the evaluation had
 * none (a catalog request has no agreement, for instance).
 *
 * <p>The time is kept to the millisecond so that it survives every store unchanged (PostgreSQL keeps microseconds).
 * {@code policyHash} and {@code claimsDigest} are lowercase hex SHA-256 digests, of the policy's canonical JSON
 * and of the claims the evaluation used; the claims themselves are never logged. Immutable and thread-safe.
 */
public record DecisionEntry(Instant time,
                            DecisionScope scope,
                            String counterpartyId,
                            String negotiationId,
                            String agreementId,
                            String transferId,
                            String assetId,
                            String policyId,
                            String policyHash,
                            String claimsDigest,
                            DecisionOutcome outcome,
                            List<ConstraintReason> reasons) {

    public DecisionEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(counterpartyId, "counterpartyId");
        Objects.requireNonNull(outcome, "outcome");
        time = time.truncatedTo(ChronoUnit.MILLIS);
        reasons = List.copyOf(Objects.requireNonNull(reasons, "reasons"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds an entry step by step; not thread-safe.
     */
    public static final class Builder {
        private Instant time;
        private DecisionScope scope;
        private String counterpartyId;
        private String negotiationId;
        private String agreementId;
        private String transferId;
        private String assetId;
        private String policyId;
        private String policyHash;
        private String claimsDigest;
        private DecisionOutcome outcome;
        private List<ConstraintReason> reasons = List.of();

        private Builder() {
        }

        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        public Builder scope(DecisionScope scope) {
            this.scope = scope;
            return this;
        }

        public Builder counterpartyId(String counterpartyId) {
            this.counterpartyId = counterpartyId;
            return this;
        }

        public Builder negotiationId(String negotiationId) {
            this.negotiationId = negotiationId;
            return this;
        }

        public Builder agreementId(String agreementId) {
            this.agreementId = agreementId;
            return this;
        }

        public Builder transferId(String transferId) {
            this.transferId = transferId;
            return this;
        }

        public Builder assetId(String assetId) {
            this.assetId = assetId;
            return this;
        }

        public Builder policyId(String policyId) {
            this.policyId = policyId;
            return this;
        }

        public Builder policyHash(String policyHash) {
            this.policyHash = policyHash;
            return this;
        }

        public Builder claimsDigest(String claimsDigest) {
            this.claimsDigest = claimsDigest;
            return this;
        }

        public Builder outcome(DecisionOutcome outcome) {
            this.outcome = outcome;
            return this;
        }

        public Builder reasons(List<ConstraintReason> reasons) {
            this.reasons = reasons;
            return this;
        }

        public DecisionEntry build() {
            return new DecisionEntry(time, scope, counterpartyId, negotiationId, agreementId, transferId, assetId, policyId,
                    policyHash, claimsDigest, outcome, reasons);
        }
    }
}
