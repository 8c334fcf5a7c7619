package io.kakehashi.policy.constraints;

import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;

import java.time.Instant;
import java.util.Map;

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

    static TransferProcessPolicyContext transfer(Instant signed, Instant now) {
        var agreement = ContractAgreement.Builder.newInstance()
                .id("agreement-1").agreementId("agreement-1")
                .providerId("jp-machine-tool-maker").consumerId("ai-vendor")
                .assetId("machine-operation-data")
                .contractSigningDate(signed.getEpochSecond())
                .policy(Policy.Builder.newInstance().build())
                .build();
        return new TransferProcessPolicyContext(vendor(), agreement, now);
    }

    private static ParticipantAgent vendor() {
        return new ParticipantAgent("ai-vendor", Map.of(), Map.of());
    }
}
