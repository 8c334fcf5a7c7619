package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.identity.spi.VerifiedClaims;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.spi.DigestedPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.AgreementPolicyContext;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.participant.spi.ParticipantAgentPolicyContext;
import org.eclipse.edc.policy.engine.spi.PolicyContext;
import org.eclipse.edc.policy.model.Policy;

import java.time.Clock;
import java.util.List;

/**
 * Turns one evaluation into a log entry: who the counterparty was (its DID and, when its verified legal-entity
 * credential gives one, its JCN or LEI), which agreement (by the DSP agreement id, with EDC's local id beside it) and
 * asset it concerned (where the scope has them), digests of the policy and of the claims, the outcome and the per-constraint reasons.
 * A catalog or negotiation evaluation has no agreement yet, and EDC creates the negotiation or transfer only after
 * the decision, so those ids stay empty; the asset of a negotiation is the offer's target. A context that names
 * digests of what it decides on ({@link DigestedPolicyContext}, e.g. a compute job's {@code job} and {@code model})
 * has them copied into the entry. Thread-safe.
 */
final class DecisionEntryFactory {

    /** The counterparty when a context names none (EDC always does for the scopes that are logged). */
    static final String UNKNOWN_COUNTERPARTY = "unknown";

    private final DecisionDigests digests;
    private final Clock clock;

    DecisionEntryFactory(DecisionDigests digests, Clock clock) {
        this.digests = digests;
        this.clock = clock;
    }

    DecisionEntry create(DecisionScope scope, Policy policy, PolicyContext context, DecisionOutcome outcome, List<ConstraintReason> reasons) {
        var builder = DecisionEntry.builder()
                .time(clock.instant())
                .scope(scope)
                .counterpartyId(UNKNOWN_COUNTERPARTY)
                .policyHash(digests.policy(policy))
                .assetId(policy.getTarget())
                .outcome(outcome)
                .reasons(reasons);
        if (context instanceof ParticipantAgentPolicyContext agentContext && agentContext.participantAgent() != null) {
            var agent = agentContext.participantAgent();
            if (agent.getIdentity() != null) {
                builder.counterpartyId(agent.getIdentity());
            }
            builder.claimsDigest(digests.claims(agent));
            builder.counterpartyLegalId(legalId(agent));
        }
        if (context instanceof AgreementPolicyContext agreementContext && agreementContext.contractAgreement() != null) {
            var agreement = agreementContext.contractAgreement();
            builder.agreement(agreement.getAgreementId(), agreement.getId()).assetId(agreement.getAssetId());
        }
        if (context instanceof DigestedPolicyContext digested) {
            builder.digests(digested.decisionDigests());
        }
        return builder.build();
    }

    /** The agent's registry identifier ({@code JCN:…}, {@code LEI:…}) from its verified legal-entity credential, or null. */
    static String legalId(ParticipantAgent agent) {
        return agent == null || agent.getClaims() == null ? null : VerifiedClaims.of(agent).registryId().map(Object::toString).orElse(null);
    }
}
