package io.kakehashi.policy.decisionlog.spi;

import java.time.Instant;

/**
 * Filters for {@link DecisionLogStore#query}: every non-null filter must match (AND); a null filter matches
 * everything. The time range is {@code [from, to)}. Results come in sequence order, {@code offset} entries skipped
 * and at most {@code limit} returned. {@code digest} (64 lowercase hex characters) matches the entries that carry it
 * among their named digests, whatever its name; {@code legalId} the entries whose counterparty's legal identifier
 * ({@code JCN:…}, {@code LEI:…}) it is. {@code agreementId} matches an entry whose {@code agreementId} or
 * {@code localAgreementId} it is, so an agreement is found by the DSP id both parties share and by EDC's local id
 * alike. Immutable and thread-safe.
 */
public record DecisionQuery(String counterpartyId,
                            String agreementId,
                            String assetId,
                            DecisionScope scope,
                            DecisionOutcome outcome,
                            String digest,
                            Instant from,
                            Instant to,
                            long offset,
                            int limit,
                            String legalId) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    public DecisionQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ": " + limit);
        }
        if (digest != null && !DecisionEntry.isSha256Hex(digest)) {
            throw new IllegalArgumentException("digest must be 64 lowercase hex characters (SHA-256): " + digest);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    /** A query without a legal-identifier filter. */
    public DecisionQuery(String counterpartyId, String agreementId, String assetId, DecisionScope scope, DecisionOutcome outcome, String digest,
                         Instant from, Instant to, long offset, int limit) {
        this(counterpartyId, agreementId, assetId, scope, outcome, digest, from, to, offset, limit, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether the entry passes every filter; the one definition of a match that scanning stores use.
     */
    public boolean matches(DecisionEntry entry) {
        return (counterpartyId == null || counterpartyId.equals(entry.counterpartyId()))
                && (agreementId == null || agreementId.equals(entry.agreementId()) || agreementId.equals(entry.localAgreementId()))
                && (assetId == null || assetId.equals(entry.assetId()))
                && (scope == null || scope == entry.scope())
                && (outcome == null || outcome == entry.outcome())
                && (digest == null || entry.digests().containsValue(digest))
                && (legalId == null || legalId.equals(entry.counterpartyLegalId()))
                && (from == null || !entry.time().isBefore(from))
                && (to == null || entry.time().isBefore(to));
    }

    /**
     * Builds a query; not thread-safe. Invalid combinations are refused by {@link #build()} with an
     * {@link IllegalArgumentException} naming the field.
     */
    public static final class Builder {
        private String counterpartyId;
        private String agreementId;
        private String assetId;
        private DecisionScope scope;
        private DecisionOutcome outcome;
        private String digest;
        private Instant from;
        private Instant to;
        private long offset;
        private int limit = DEFAULT_LIMIT;
        private String legalId;

        private Builder() {
        }

        public Builder counterpartyId(String counterpartyId) {
            this.counterpartyId = counterpartyId;
            return this;
        }

        /** Only the entries whose counterparty has this registry identifier ({@code JCN:…}, {@code LEI:…}). */
        public Builder legalId(String legalId) {
            this.legalId = legalId;
            return this;
        }

        public Builder agreementId(String agreementId) {
            this.agreementId = agreementId;
            return this;
        }

        public Builder assetId(String assetId) {
            this.assetId = assetId;
            return this;
        }

        public Builder scope(DecisionScope scope) {
            this.scope = scope;
            return this;
        }

        public Builder outcome(DecisionOutcome outcome) {
            this.outcome = outcome;
            return this;
        }

        public Builder digest(String digest) {
            this.digest = digest;
            return this;
        }

        public Builder from(Instant from) {
            this.from = from;
            return this;
        }

        public Builder to(Instant to) {
            this.to = to;
            return this;
        }

        public Builder offset(long offset) {
            this.offset = offset;
            return this;
        }

        public Builder limit(int limit) {
            this.limit = limit;
            return this;
        }

        public DecisionQuery build() {
            return new DecisionQuery(counterpartyId, agreementId, assetId, scope, outcome, digest, from, to, offset, limit, legalId);
        }
    }
}
