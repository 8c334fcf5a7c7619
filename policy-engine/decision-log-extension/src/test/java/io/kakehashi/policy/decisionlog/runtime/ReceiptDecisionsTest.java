package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.policy.model.Policy;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only the side that decided issues a receipt, and the receipt names what both sides know: the DSP agreement id (not
 * the id a consumer keeps its copy under) and both process ids.
 */
class ReceiptDecisionsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");
    private final ReceiptDecisions decisions = new ReceiptDecisions("provider");

    @Nested
    class Negotiations {

        @Test
        void agreed_whenTheProviderAgreed_shouldBeAReceiptUnderTheDspAgreementId() {
            var decision = decisions.negotiation(ReceiptDecisions.AGREED, negotiation(ContractNegotiation.Type.PROVIDER, null), NOW).orElseThrow();

            assertThat(decision.subject().agreementId()).isEqualTo("dsp-agreement");
            assertThat(decision.subject().issuerProcessId()).isEqualTo("own-negotiation");
            assertThat(decision.subject().recipientProcessId()).isEqualTo("peer-negotiation");
            assertThat(decision.subject().recipient()).isEqualTo("consumer");
            assertThat(decision.peerBase()).isEqualTo("http://127.0.0.1:9/protocol");
            assertThat(decision.entry().scope()).isEqualTo(DecisionScope.CONTRACT_NEGOTIATION);
            assertThat(decision.entry().negotiationId()).isEqualTo("own-negotiation");
            assertThat(decision.entry().agreementId()).isEqualTo("dsp-agreement");
            assertThat(decision.entry().localAgreementId()).isEqualTo("local-copy-id");
            assertThat(decision.entry().outcome()).isEqualTo(DecisionOutcome.PERMIT);
        }

        @Test
        void verified_atTheConsumer_shouldBeItsAcceptanceToTheProvider_andAtTheProviderNone() {
            assertThat(decisions.negotiation(ReceiptDecisions.VERIFIED, negotiation(ContractNegotiation.Type.CONSUMER, null), NOW))
                    .hasValueSatisfying(decision -> {
                        assertThat(decision.subject().event()).isEqualTo("negotiation.verified");
                        assertThat(decision.entry().outcome()).isEqualTo(DecisionOutcome.PERMIT);
                        assertThat(decision.entry().agreementId()).isEqualTo("dsp-agreement");
                    });
            assertThat(decisions.negotiation(ReceiptDecisions.VERIFIED, negotiation(ContractNegotiation.Type.PROVIDER, null), NOW)).isEmpty();
        }

        @Test
        void agreed_atTheConsumer_shouldBeNone() {
            assertThat(decisions.negotiation(ReceiptDecisions.AGREED, negotiation(ContractNegotiation.Type.CONSUMER, null), NOW)).isEmpty();
        }

        @Test
        void terminated_whenTheCounterpartyTerminatedIt_shouldBeNone() {
            var byPeer = negotiation(ContractNegotiation.Type.PROVIDER, "Terminated by the counterparty: no longer needed");

            assertThat(decisions.negotiation(ReceiptDecisions.NEGOTIATION_TERMINATED, byPeer, NOW)).isEmpty();
            assertThat(decisions.negotiation(ReceiptDecisions.NEGOTIATION_TERMINATED, negotiation(ContractNegotiation.Type.CONSUMER, "offer expired"), NOW))
                    .hasValueSatisfying(decision -> {
                        assertThat(decision.entry().outcome()).isEqualTo(DecisionOutcome.DENY);
                        assertThat(decision.entry().reasons().get(0).reason()).contains("offer expired");
                    });
        }

        @Test
        void anyEvent_whenTheCounterpartyHasNoIdForTheProcess_shouldBeNone() {
            var unknownToPeer = ContractNegotiation.Builder.newInstance().id("own-negotiation").type(ContractNegotiation.Type.PROVIDER)
                    .counterPartyId("consumer").counterPartyAddress("http://127.0.0.1:9/protocol/2025-1").protocol("dataspace-protocol-http:2025-1")
                    .contractAgreement(agreement()).build();

            assertThat(decisions.negotiation(ReceiptDecisions.AGREED, unknownToPeer, NOW)).isEmpty();
        }

        @Test
        void anyEvent_whenTheAddressIsNotHttp_shouldBeNone() {
            var elsewhere = ContractNegotiation.Builder.newInstance().id("own-negotiation").type(ContractNegotiation.Type.PROVIDER)
                    .counterPartyId("consumer").counterPartyAddress("file:///etc/passwd").correlationId("peer-negotiation")
                    .protocol("dataspace-protocol-http:2025-1").contractAgreement(agreement()).build();

            assertThat(decisions.negotiation(ReceiptDecisions.AGREED, elsewhere, NOW)).isEmpty();
        }
    }

    @Nested
    class Transfers {

        @Test
        void started_byTheProvider_shouldBeAReceipt_andAtTheConsumerNone() {
            assertThat(decisions.transfer(ReceiptDecisions.STARTED, transfer(TransferProcess.Type.PROVIDER, null), agreement(), NOW))
                    .hasValueSatisfying(decision -> {
                        assertThat(decision.subject().recipient()).isEqualTo("consumer");
                        assertThat(decision.entry().transferId()).isEqualTo("own-transfer");
                        assertThat(decision.entry().agreementId()).isEqualTo("dsp-agreement");
                        assertThat(decision.entry().localAgreementId()).isEqualTo("local-copy-id");
                    });
            assertThat(decisions.transfer(ReceiptDecisions.STARTED, transfer(TransferProcess.Type.CONSUMER, null), agreement(), NOW)).isEmpty();
        }

        @Test
        void terminated_shouldBeAReceiptOnlyWhenThisSideEndedIt() {
            assertThat(decisions.transfer(ReceiptDecisions.TRANSFER_TERMINATED, transfer(TransferProcess.Type.PROVIDER, "No dataplane found"), agreement(), NOW))
                    .hasValueSatisfying(decision -> assertThat(decision.entry().outcome()).isEqualTo(DecisionOutcome.DENY));
            assertThat(decisions.transfer(ReceiptDecisions.TRANSFER_TERMINATED, transfer(TransferProcess.Type.CONSUMER, "Terminated by the counterparty, no reason given"),
                    agreement(), NOW)).isEmpty();
        }

        @Test
        void completed_byTheProvider_shouldBeAReceipt_andAtTheConsumerNone() {
            // for a compute job the provider's completion is the release of the result (a withheld one ends terminated)
            assertThat(decisions.transfer(ReceiptDecisions.TRANSFER_COMPLETED, transfer(TransferProcess.Type.PROVIDER, null), agreement(), NOW))
                    .hasValueSatisfying(decision -> {
                        assertThat(decision.subject().event()).isEqualTo("transfer.completed");
                        assertThat(decision.entry().outcome()).isEqualTo(DecisionOutcome.PERMIT);
                        assertThat(decision.entry().transferId()).isEqualTo("own-transfer");
                    });
            assertThat(decisions.transfer(ReceiptDecisions.TRANSFER_COMPLETED, transfer(TransferProcess.Type.CONSUMER, null), agreement(), NOW)).isEmpty();
            var pulled = transfer(TransferProcess.Type.PROVIDER, null).toBuilder().transferType("HttpData-PULL").build();
            assertThat(decisions.transfer(ReceiptDecisions.TRANSFER_COMPLETED, pulled, agreement(), NOW)).as("completed by the consumer's message").isEmpty();
        }

        @Test
        void suspended_byEitherSide_shouldBeAReceiptToTheOther() {
            assertThat(decisions.transfer(ReceiptDecisions.TRANSFER_SUSPENDED, transfer(TransferProcess.Type.PROVIDER, "the policy monitor paused it"), agreement(), NOW))
                    .hasValueSatisfying(decision -> {
                        assertThat(decision.subject().event()).isEqualTo("transfer.suspended");
                        assertThat(decision.subject().recipient()).isEqualTo("consumer");
                        assertThat(decision.entry().outcome()).isEqualTo(DecisionOutcome.DENY);
                        assertThat(decision.entry().reasons()).singleElement()
                                .satisfies(reason -> assertThat(reason.reason()).isEqualTo("the transfer was suspended: the policy monitor paused it"));
                    });
            assertThat(decisions.transfer(ReceiptDecisions.TRANSFER_SUSPENDED, transfer(TransferProcess.Type.CONSUMER, null), agreement(), NOW))
                    .hasValueSatisfying(decision -> assertThat(decision.subject().recipient()).isEqualTo("provider"));
        }
    }

    private static ContractAgreement agreement() {
        return ContractAgreement.Builder.newInstance().id("local-copy-id").agreementId("dsp-agreement").providerId("provider").consumerId("consumer")
                .assetId("machine-data").policy(Policy.Builder.newInstance().build()).build();
    }

    private static ContractNegotiation negotiation(ContractNegotiation.Type type, String errorDetail) {
        return ContractNegotiation.Builder.newInstance().id("own-negotiation").type(type).counterPartyId("consumer")
                .counterPartyAddress("http://127.0.0.1:9/protocol/2025-1").correlationId("peer-negotiation").protocol("dataspace-protocol-http:2025-1")
                .contractAgreement(agreement()).errorDetail(errorDetail).build();
    }

    private static TransferProcess transfer(TransferProcess.Type type, String errorDetail) {
        return TransferProcess.Builder.newInstance().id("own-transfer").type(type).correlationId("peer-transfer")
                .counterPartyAddress("http://127.0.0.1:9/protocol/2025-1").contractId("local-copy-id").protocol("dataspace-protocol-http:2025-1")
                .transferType("KakehashiCompute-PUSH").errorDetail(errorDetail).build();
    }
}
