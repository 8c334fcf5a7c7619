package io.kakehashi.policy.constraints;

import io.kakehashi.identity.spi.VerifiedClaims;
import io.kakehashi.policy.spi.ComputeJob;
import io.kakehashi.policy.spi.ComputePolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Policy contexts and rules for the constraint tests.
 */
final class PolicyContextTestFixtures {

    static final Permission PERMISSION = Permission.Builder.newInstance().build();

    private PolicyContextTestFixtures() {
    }

    static ContractNegotiationPolicyContext negotiation() {
        return new ContractNegotiationPolicyContext(vendor());
    }

    /** A negotiation with a consumer whose verified claims are {@code claims}. */
    static ContractNegotiationPolicyContext negotiation(VerifiedClaims claims) {
        return new ContractNegotiationPolicyContext(new ParticipantAgent(claims.participantId(), claims.toClaims(), Map.of()));
    }

    static ComputePolicyContext compute(String jobType, Instant signed, Instant now) {
        var job = new ComputeJob(jobType, false, OptionalLong.empty(), OptionalDouble.empty(), 0);
        return new ComputePolicyContext(vendor(), agreement(signed), now, job);
    }

    static ContractAgreement agreement(Instant signed) {
        return agreement(signed, Policy.Builder.newInstance().build());
    }

    static ContractAgreement agreement(Instant signed, Policy policy) {
        return ContractAgreement.Builder.newInstance()
                .id("agreement-1").agreementId("agreement-1")
                .providerId("jp-machine-tool-maker").consumerId("ai-vendor")
                .assetId("machine-operation-data")
                .contractSigningDate(signed.getEpochSecond())
                .policy(policy)
                .build();
    }

    static TransferProcessPolicyContext transfer(Instant signed, Instant now) {
        return new TransferProcessPolicyContext(vendor(), agreement(signed), now);
    }

    private static ParticipantAgent vendor() {
        return new ParticipantAgent("ai-vendor", Map.of(), Map.of());
    }
}
