package io.kakehashi.policy.spi;

import org.eclipse.edc.connector.controlplane.contract.spi.policy.AgreementPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.participant.spi.ParticipantAgentPolicyContext;
import org.eclipse.edc.policy.engine.spi.PolicyContextImpl;
import org.eclipse.edc.policy.engine.spi.PolicyScope;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The policy context of the {@code model.run} scope: the holder's connector, as the consumer of an agreement for a
 * vendor's model, asks itself whether it may run that model once more on the holder's own data. The agreement's
 * policy is evaluated with the agreement, the time, and how many runs were admitted under it before this one; the
 * model's digest ({@link DigestedPolicyContext#MODEL}) goes into the decision's log entry. Unlike the {@code compute}
 * scope there is no counterparty to check here (the vendor checked the holder when it agreed), so only the
 * constraints about the use itself are bound to this scope: {@code ai.inferenceRuns}, the time window and the
 * deletion duty. Not
 * thread-safe, like every policy context: one per evaluation.
 */
public class ModelRunPolicyContext extends PolicyContextImpl implements AgreementPolicyContext, ParticipantAgentPolicyContext,
        DigestedPolicyContext {

    @PolicyScope
    public static final String MODEL_RUN_SCOPE = "model.run";

    private final ContractAgreement agreement;
    private final Instant now;
    private final long runsSoFar;
    private final Map<String, String> digests;

    /**
     * @param runsSoFar the runs admitted under the agreement before this one
     * @param digests   named SHA-256 digests for the log entry (the model's); null for none
     */
    public ModelRunPolicyContext(ContractAgreement agreement, Instant now, long runsSoFar, Map<String, String> digests) {
        this.agreement = Objects.requireNonNull(agreement, "agreement");
        this.now = Objects.requireNonNull(now, "now");
        if (runsSoFar < 0) {
            throw new IllegalArgumentException("runsSoFar must not be negative");
        }
        this.runsSoFar = runsSoFar;
        this.digests = digests == null ? Map.of() : Map.copyOf(digests);
    }

    @Override
    public ContractAgreement contractAgreement() {
        return agreement;
    }

    /**
     * The party the decision concerns, so that the decision log names it as the counterparty: the vendor (the
     * agreement's provider), with no claims — nothing in this scope reads them.
     */
    @Override
    public ParticipantAgent participantAgent() {
        return new ParticipantAgent(agreement.getProviderId(), Map.of(), Map.of());
    }

    @Override
    public Instant now() {
        return now;
    }

    public long runsSoFar() {
        return runsSoFar;
    }

    @Override
    public Map<String, String> decisionDigests() {
        return digests;
    }

    @Override
    public String scope() {
        return MODEL_RUN_SCOPE;
    }
}
