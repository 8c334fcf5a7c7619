package io.kakehashi.policy.spi;

import org.eclipse.edc.connector.controlplane.contract.spi.policy.AgreementPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.participant.spi.ParticipantAgentPolicyContext;
import org.eclipse.edc.policy.engine.spi.PolicyContextImpl;
import org.eclipse.edc.policy.engine.spi.PolicyScope;

import java.time.Instant;
import java.util.Map;

/**
 * The policy context of the {@code compute} scope: a consumer asks the provider to run a job against an asset under
 * an agreement. The agreement's policy is evaluated with the consumer, the agreement, the time, and the job. The
 * digests of the job (see {@link DigestedPolicyContext}: {@code job}, {@code model}) go into the decision's log entry.
 * Not thread-safe, like every policy context: one per evaluation.
 */
public class ComputePolicyContext extends PolicyContextImpl implements AgreementPolicyContext, ParticipantAgentPolicyContext,
        DigestedPolicyContext {

    @PolicyScope
    public static final String COMPUTE_SCOPE = "compute";

    private final ParticipantAgent agent;
    private final ContractAgreement agreement;
    private final Instant now;
    private final ComputeJob job;
    private final Map<String, String> digests;

    public ComputePolicyContext(ParticipantAgent agent, ContractAgreement agreement, Instant now, ComputeJob job) {
        this(agent, agreement, now, job, Map.of());
    }

    /**
     * @param digests named SHA-256 digests for the decision's log entry, e.g. {@link DigestedPolicyContext#JOB} and
     *                {@link DigestedPolicyContext#MODEL}; null for none
     */
    public ComputePolicyContext(ParticipantAgent agent, ContractAgreement agreement, Instant now, ComputeJob job,
                                Map<String, String> digests) {
        this.agent = agent;
        this.agreement = agreement;
        this.now = now;
        this.job = job;
        this.digests = digests == null ? Map.of() : Map.copyOf(digests);
    }

    @Override
    public ParticipantAgent participantAgent() {
        return agent;
    }

    @Override
    public ContractAgreement contractAgreement() {
        return agreement;
    }

    @Override
    public Instant now() {
        return now;
    }

    public ComputeJob job() {
        return job;
    }

    @Override
    public Map<String, String> decisionDigests() {
        return digests;
    }

    @Override
    public String scope() {
        return COMPUTE_SCOPE;
    }
}
