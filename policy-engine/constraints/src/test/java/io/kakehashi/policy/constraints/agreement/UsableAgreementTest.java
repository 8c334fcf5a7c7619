package io.kakehashi.policy.constraints.agreement;

import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.result.Result;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.kakehashi.policy.spi.ComputeJob;
import io.kakehashi.policy.spi.ComputePolicyContext;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.connector.controlplane.defaults.storage.contractnegotiation.InMemoryContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferRequest;
import org.eclipse.edc.connector.policy.monitor.spi.PolicyMonitorContext;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.policy.engine.PolicyEngineImpl;
import org.eclipse.edc.policy.engine.RuleBindingRegistryImpl;
import org.eclipse.edc.policy.engine.ScopeFilter;
import org.eclipse.edc.policy.engine.validation.RuleValidator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.query.CriterionOperatorRegistryImpl;
import org.eclipse.edc.transaction.spi.NoopTransactionContext;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation.Type.PROVIDER;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.FINALIZED;
import static org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates.VERIFIED;

/**
 * An agreement whose negotiation was terminated after it was made (issue 14, defect 3) is refused by every policy
 * evaluation of it, with the reason, while a FINALIZED one is still permitted. The negotiation is terminated as EDC's
 * state machine does it: {@code transitionTerminated} and a save to EDC's own store.
 */
class UsableAgreementTest {

    private static final Instant NOW = Instant.parse("2026-12-06T17:00:00Z");
    private static final String TERMINATED_REASON = "agreement agreement-1 can no longer be used: its contract negotiation was terminated";

    private final InMemoryContractNegotiationStore store = new InMemoryContractNegotiationStore(Clock.systemUTC(),
            CriterionOperatorRegistryImpl.ofDefaults());
    private final NegotiationAgreementStatus status = new NegotiationAgreementStatus(store, new NoopTransactionContext());
    private final PolicyEngineImpl engine = engine();
    private final ContractAgreement agreement = agreement("agreement-1");

    @Nested
    class Status {

        @Test
        void usable_whenNegotiationFinalized_shouldSucceed() {
            finalizedNegotiation();

            assertThat(status.usable("agreement-1").succeeded()).isTrue();
        }

        @Test
        void usable_whenNegotiationTerminatedAfterAgreement_shouldFailWithReason() {
            verifiedNegotiation();
            terminate();

            var usable = status.usable("agreement-1");

            assertThat(usable.failed()).isTrue();
            assertThat(usable.getFailureDetail()).isEqualTo(TERMINATED_REASON);
        }

        @Test
        void usable_whenNoNegotiationHoldsAgreement_shouldFail() {
            finalizedNegotiation();

            var usable = status.usable("agreement-2");

            assertThat(usable.failed()).isTrue();
            assertThat(usable.getFailureDetail()).contains("agreement-2", "not known");
        }
    }

    @Nested
    class Evaluation {

        @Test
        void transfer_whenNegotiationFinalized_shouldPermit() {
            finalizedNegotiation();

            assertThat(engine.evaluate(agreement.getPolicy(), new TransferProcessPolicyContext(vendor(), agreement, NOW)).succeeded()).isTrue();
        }

        @Test
        void transfer_whenNegotiationTerminated_shouldDenyWithReason() {
            verifiedNegotiation();
            terminate();

            var result = engine.evaluate(agreement.getPolicy(), new TransferProcessPolicyContext(vendor(), agreement, NOW));

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureMessages()).containsExactly(TERMINATED_REASON);
        }

        @Test
        void compute_whenNegotiationTerminated_shouldDenyWithReason() {
            verifiedNegotiation();
            terminate();
            var job = new ComputeJob("sql", false, OptionalLong.empty(), OptionalDouble.empty(), 0);

            var result = engine.evaluate(agreement.getPolicy(), new ComputePolicyContext(vendor(), agreement, NOW, job));

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureMessages()).containsExactly(TERMINATED_REASON);
        }

        @Test
        void policyMonitor_whenNegotiationTerminated_shouldDeny() {
            verifiedNegotiation();
            terminate();

            var result = engine.evaluate(agreement.getPolicy(), new PolicyMonitorContext(NOW, agreement));

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureMessages()).containsExactly(TERMINATED_REASON);
        }
    }

    @Nested
    class ManagementTransferRequest {

        private final UsableAgreementTransferRequest validator = new UsableAgreementTransferRequest(status);

        private JsonObject request(String contractId) {
            return Json.createObjectBuilder()
                    .add(TransferRequest.TRANSFER_REQUEST_CONTRACT_ID, Json.createArrayBuilder().add(Json.createObjectBuilder().add("@value", contractId)))
                    .build();
        }

        @Test
        void validate_whenNegotiationFinalized_shouldPass() {
            finalizedNegotiation();

            assertThat(validator.validate(request("agreement-1")).succeeded()).isTrue();
        }

        @Test
        void validate_whenNegotiationTerminated_shouldFailWithReason() {
            verifiedNegotiation();
            terminate();

            var result = validator.validate(request("agreement-1"));

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).contains(TERMINATED_REASON);
        }

        @Test
        void validate_whenNoContractId_shouldLeaveItToEdcsValidator() {
            assertThat(validator.validate(JsonObject.EMPTY_JSON_OBJECT).succeeded()).isTrue();
        }

        @Test
        void validate_withADecisionLog_shouldRecordThePermitWithTheProviderTheSharedAgreementIdAndTheAsset() {
            var recorded = new ArrayList<DecisionEntry>();
            finalizedNegotiation();

            var result = recording(recorded).validate(request("agreement-1"));

            assertThat(result.succeeded()).isTrue();
            assertThat(recorded).singleElement().satisfies(entry -> {
                assertThat(entry.scope()).isEqualTo(DecisionScope.TRANSFER_PROCESS);
                assertThat(entry.outcome()).isEqualTo(DecisionOutcome.PERMIT);
                assertThat(entry.counterpartyId()).isEqualTo("jp-machine-tool-maker");
                assertThat(entry.agreementId()).isEqualTo("shared-agreement-1");
                assertThat(entry.localAgreementId()).isEqualTo("agreement-1");
                assertThat(entry.assetId()).isEqualTo("machine-operation-data");
                assertThat(entry.time()).isEqualTo(NOW);
            });
        }

        @Test
        void validate_withADecisionLog_shouldRecordTheDenyWithTheReason() {
            var recorded = new ArrayList<DecisionEntry>();
            verifiedNegotiation();
            terminate();

            var result = recording(recorded).validate(request("agreement-1"));

            assertThat(result.failed()).isTrue();
            assertThat(recorded).singleElement().satisfies(entry -> {
                assertThat(entry.outcome()).isEqualTo(DecisionOutcome.DENY);
                assertThat(entry.reasons()).containsExactly(new ConstraintReason(ConsumerTransferDecisions.CONSTRAINT, DecisionOutcome.DENY, TERMINATED_REASON));
            });
        }

        @Test
        void validate_whenTheDecisionCannotBeRecorded_shouldRefuseWithAServerError() {
            finalizedNegotiation();
            var validator = new UsableAgreementTransferRequest(status, new ConsumerTransferDecisions(
                    entry -> Result.failure(DecisionRecorder.NOT_RECORDED), store, new NoopTransactionContext(), Clock.fixed(NOW, ZoneOffset.UTC)));

            assertThatThrownBy(() -> validator.validate(request("agreement-1"))).isInstanceOf(EdcException.class)
                    .hasMessage(DecisionRecorder.NOT_RECORDED);
        }

        private UsableAgreementTransferRequest recording(List<DecisionEntry> recorded) {
            return new UsableAgreementTransferRequest(status, new ConsumerTransferDecisions(entry -> {
                recorded.add(entry);
                return Result.success(null);
            }, store, new NoopTransactionContext(), Clock.fixed(NOW, ZoneOffset.UTC)));
        }
    }

    private PolicyEngineImpl engine() {
        var bindings = new RuleBindingRegistryImpl();
        var policyEngine = new PolicyEngineImpl(new ScopeFilter(bindings), new RuleValidator(bindings));
        policyEngine.registerScope(TransferProcessPolicyContext.TRANSFER_SCOPE, TransferProcessPolicyContext.class);
        policyEngine.registerScope(ComputePolicyContext.COMPUTE_SCOPE, ComputePolicyContext.class);
        policyEngine.registerScope(PolicyMonitorContext.POLICY_MONITOR_SCOPE, PolicyMonitorContext.class);
        AgreementStatusExtension.register(policyEngine, new NegotiationAgreementStatus(store, new NoopTransactionContext()));
        return policyEngine;
    }

    private void finalizedNegotiation() {
        negotiation(FINALIZED);
    }

    // as in the crash rounds: the agreement is made (VERIFIED), then the finalization is lost and the negotiation ends TERMINATED
    private void verifiedNegotiation() {
        negotiation(VERIFIED);
    }

    private void negotiation(ContractNegotiationStates state) {
        store.save(ContractNegotiation.Builder.newInstance()
                .id("negotiation-1").correlationId("consumer-negotiation-1")
                .counterPartyId("ai-vendor").counterPartyAddress("http://127.0.0.1:1/protocol")
                .protocol("dataspace-protocol-http:2025-1")
                .type(PROVIDER)
                .state(state.code())
                .contractAgreement(agreement)
                .build());
    }

    private void terminate() {
        var negotiation = store.findById("negotiation-1");
        negotiation.setErrorDetail("the consumer terminated it");
        negotiation.transitionTerminated();
        store.save(negotiation);
    }

    private static ContractAgreement agreement(String id) {
        return ContractAgreement.Builder.newInstance()
                // the consumer's own id of its copy, and the DSP agreement id both sides share
                .id(id).agreementId("shared-" + id)
                .providerId("jp-machine-tool-maker").consumerId("ai-vendor")
                .assetId("machine-operation-data")
                .contractSigningDate(NOW.getEpochSecond())
                .policy(Policy.Builder.newInstance().permission(Permission.Builder.newInstance().build()).build())
                .build();
    }

    private static ParticipantAgent vendor() {
        return new ParticipantAgent("ai-vendor", Map.of(), Map.of());
    }
}
