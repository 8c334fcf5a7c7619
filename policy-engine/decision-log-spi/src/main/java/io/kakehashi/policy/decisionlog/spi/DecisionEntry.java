package io.kakehashi.policy.decisionlog.spi;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One policy decision as the log records it. {@code time}, {@code scope}, {@code counterpartyId}, {@code outcome}
 * and {@code reasons} are required; the process ids, asset, policy, policy hash and claims digest are null when the
 * evaluation had none (a catalog request has no agreement, for instance); {@code digests} is never null.
 *
 * <p>The time is kept to the millisecond so that it survives every store unchanged (PostgreSQL keeps microseconds).
 * {@code policyHash} and {@code claimsDigest} are lowercase hex SHA-256 digests, of the policy's canonical JSON
 * and of the claims the evaluation used; the claims themselves are never logged.
 *
 * <p>{@code digests} names further SHA-256 digests of what the decision was about — for a compute job, e.g.
 * {@code job} (its description), {@code model} (the model it brought) and {@code result} (what was released). Names
 * match {@value #DIGEST_NAME_PATTERN}, values are 64 lowercase hex characters, at most {@value #MAX_DIGESTS} of them;
 * the map iterates in name order. An entry without digests has an empty map, and its canonical form (what the chain
 * hashes) has no {@code digests} member, so entries written before digests existed hash as they always did.
 * <p>{@code counterpartyLegalId} is the counterparty's identifier in a public registry ({@code JCN:…} or
 * {@code LEI:…}) when its verified legal-entity credential gave one, else null; like the digests, it is absent from
 * the canonical form when null, so entries without it hash as they always did.
 *
 * <p>An entry names an agreement by the id both parties share, the DSP agreement id ({@code agreementId}); EDC's own
 * id of the agreement at this connector ({@code ContractAgreement.getId()}), when it differs, is
 * {@code localAgreementId} — null otherwise, and then absent from the canonical form (decision 0035). Entries written
 * before that named an agreement by whichever id their writer used, with no {@code localAgreementId}; the
 * {@link DecisionQuery} agreement filter matches either member. {@link Builder#agreement(String, String)} sets both.
 * Immutable and thread-safe.
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
                            List<ConstraintReason> reasons,
                            Map<String, String> digests,
                            String counterpartyLegalId,
                            String localAgreementId) {

    public static final String DIGEST_NAME_PATTERN = "[a-z][a-zA-Z0-9._-]{0,63}";
    public static final int MAX_DIGESTS = 16;
    private static final Pattern DIGEST_NAME = Pattern.compile(DIGEST_NAME_PATTERN);
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public DecisionEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(counterpartyId, "counterpartyId");
        Objects.requireNonNull(outcome, "outcome");
        time = time.truncatedTo(ChronoUnit.MILLIS);
        reasons = List.copyOf(Objects.requireNonNull(reasons, "reasons"));
        digests = checkedDigests(digests);
    }

    /**
     * An entry without a local agreement id (the agreement, if any, is named by one id only).
     */
    public DecisionEntry(Instant time, DecisionScope scope, String counterpartyId, String negotiationId, String agreementId,
                         String transferId, String assetId, String policyId, String policyHash, String claimsDigest,
                         DecisionOutcome outcome, List<ConstraintReason> reasons, Map<String, String> digests, String counterpartyLegalId) {
        this(time, scope, counterpartyId, negotiationId, agreementId, transferId, assetId, policyId, policyHash, claimsDigest,
                outcome, reasons, digests, counterpartyLegalId, null);
    }

    /**
     * An entry without the counterparty's legal identifier.
     */
    public DecisionEntry(Instant time, DecisionScope scope, String counterpartyId, String negotiationId, String agreementId,
                         String transferId, String assetId, String policyId, String policyHash, String claimsDigest,
                         DecisionOutcome outcome, List<ConstraintReason> reasons, Map<String, String> digests) {
        this(time, scope, counterpartyId, negotiationId, agreementId, transferId, assetId, policyId, policyHash, claimsDigest,
                outcome, reasons, digests, null);
    }

    /**
     * An entry without named digests.
     */
    public DecisionEntry(Instant time, DecisionScope scope, String counterpartyId, String negotiationId, String agreementId,
                         String transferId, String assetId, String policyId, String policyHash, String claimsDigest,
                         DecisionOutcome outcome, List<ConstraintReason> reasons) {
        this(time, scope, counterpartyId, negotiationId, agreementId, transferId, assetId, policyId, policyHash, claimsDigest,
                outcome, reasons, Map.of());
    }

    /**
     * Whether the value is a digest as entries hold them: 64 lowercase hex characters.
     */
    public static boolean isSha256Hex(String value) {
        return value != null && SHA256_HEX.matcher(value).matches();
    }

    private static Map<String, String> checkedDigests(Map<String, String> digests) {
        if (digests == null || digests.isEmpty()) {
            return Collections.emptySortedMap();
        }
        if (digests.size() > MAX_DIGESTS) {
            throw new IllegalArgumentException("an entry holds at most %d digests, not %d".formatted(MAX_DIGESTS, digests.size()));
        }
        var sorted = new TreeMap<String, String>();
        digests.forEach((name, value) -> {
            if (name == null || !DIGEST_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("digest name '%s' does not match %s".formatted(name, DIGEST_NAME_PATTERN));
            }
            if (!isSha256Hex(value)) {
                throw new IllegalArgumentException("digest '%s' is not 64 lowercase hex characters (SHA-256)".formatted(name));
            }
            sorted.put(name, value);
        });
        return Collections.unmodifiableSortedMap(sorted);
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
        private String localAgreementId;
        private String transferId;
        private String assetId;
        private String policyId;
        private String policyHash;
        private String claimsDigest;
        private DecisionOutcome outcome;
        private List<ConstraintReason> reasons = List.of();
        private final Map<String, String> digests = new TreeMap<>();
        private String counterpartyLegalId;

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

        /** The counterparty's registry identifier ({@code JCN:…}, {@code LEI:…}), or null. */
        public Builder counterpartyLegalId(String counterpartyLegalId) {
            this.counterpartyLegalId = counterpartyLegalId;
            return this;
        }

        public Builder negotiationId(String negotiationId) {
            this.negotiationId = negotiationId;
            return this;
        }

        /** The agreement's id as the entry names it; prefer {@link #agreement(String, String)} for an EDC agreement. */
        public Builder agreementId(String agreementId) {
            this.agreementId = agreementId;
            return this;
        }

        /** EDC's own id of the agreement at this connector, when it is not the {@code agreementId}. */
        public Builder localAgreementId(String localAgreementId) {
            this.localAgreementId = localAgreementId;
            return this;
        }

        /**
         * Names an agreement the one way every entry does: by the DSP agreement id both parties share
         * ({@code ContractAgreement.getAgreementId()}), with EDC's local id ({@code getId()}) kept beside it when it
         * differs. An agreement without a DSP id (made before EDC had one) is named by its local id alone.
         *
         * @param protocolId the DSP agreement id, or null when the agreement has none
         * @param localId    EDC's id of the agreement at this connector, or null
         */
        public Builder agreement(String protocolId, String localId) {
            this.agreementId = protocolId != null ? protocolId : localId;
            this.localAgreementId = localId != null && !localId.equals(this.agreementId) ? localId : null;
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

        /**
         * Adds the named digests to those already given.
         */
        public Builder digests(Map<String, String> digests) {
            if (digests != null) {
                this.digests.putAll(digests);
            }
            return this;
        }

        public Builder digest(String name, String sha256Hex) {
            this.digests.put(name, sha256Hex);
            return this;
        }

        public DecisionEntry build() {
            return new DecisionEntry(time, scope, counterpartyId, negotiationId, agreementId, transferId, assetId, policyId,
                    policyHash, claimsDigest, outcome, reasons, digests, counterpartyLegalId, localAgreementId);
        }
    }
}
