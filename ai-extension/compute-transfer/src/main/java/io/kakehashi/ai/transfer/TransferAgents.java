package io.kakehashi.ai.transfer;

import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.policy.model.Policy;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The consumers as the provider's control plane last verified them, by agreement. EDC decides a transfer request in
 * the {@code transfer.process} scope with the participant agent built from the consumer's verified token and
 * credentials; the data plane, which runs the job later, gets only the consumer's id. A compute job must be decided
 * with the same agent (jurisdiction, membership), so this post-validator keeps it, for the agreement's consumer
 * only. Kept in memory: after a restart of the provider a new job whose agent is not known is refused, not decided
 * with less; a job submitted before the restart was decided then and is taken up without it
 * ({@link io.kakehashi.ai.core.ComputeJobService#resume}). Thread-safe.
 */
public final class TransferAgents {

    private final ConcurrentMap<String, ParticipantAgent> byAgreement = new ConcurrentHashMap<>();

    /** The post-validator to register for {@link TransferProcessPolicyContext}; it never changes a decision. */
    public boolean remember(Policy policy, TransferProcessPolicyContext context) {
        var agreement = context.contractAgreement();
        var agent = context.participantAgent();
        if (agreement != null && agent != null && agreement.getConsumerId().equals(agent.getIdentity())) {
            byAgreement.put(agreement.getId(), agent);
        }
        return true;
    }

    public Optional<ParticipantAgent> agentFor(String agreementId) {
        return Optional.ofNullable(byAgreement.get(agreementId));
    }
}
