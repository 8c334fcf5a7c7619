package io.kakehashi.policy.decisionlog.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.offer.ContractOffer;
import org.eclipse.edc.connector.controlplane.contract.spi.validation.ContractValidationService;
import org.eclipse.edc.connector.controlplane.contract.spi.validation.ValidatableConsumerOffer;
import org.eclipse.edc.connector.controlplane.contract.spi.validation.ValidatedConsumerOffer;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.result.Result;
import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecordingContractValidationServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-06T19:00:00Z");
    private static final String MISMATCH = "Policy in the contract agreement is not equal to the one in the contract offer";

    private final List<DecisionEntry> recorded = new ArrayList<>();
    private final DecisionRecorder recorder = entry -> {
        recorded.add(entry);
        return Result.success(null);
    };
    private final ContractAgreement agreement = ContractAgreement.Builder.newInstance()
            .id("consumers-agreement-1").agreementId("agreement-1").providerId("maker").consumerId("vendor").assetId("machine-data")
            .contractSigningDate(NOW.getEpochSecond())
            .policy(Policy.Builder.newInstance().permission(Permission.Builder.newInstance().build()).build())
            .build();
    private final ParticipantAgent maker = new ParticipantAgent("maker", Map.of("region", "eu"), Map.of());

    @Test
    void validateConfirmed_whenTheAgreementMatchesTheOffer_shouldRecordAPermit() {
        var service = service(new Confirming(Result.success()), recorder);

        var result = service.validateConfirmed(maker, agreement, null);

        assertThat(result.succeeded()).isTrue();
        assertThat(recorded).singleElement().satisfies(entry -> {
            assertThat(entry.scope()).isEqualTo(DecisionScope.CONTRACT_NEGOTIATION);
            assertThat(entry.outcome()).isEqualTo(DecisionOutcome.PERMIT);
            assertThat(entry.counterpartyId()).isEqualTo("maker");
            // the DSP agreement id both sides share, and the consumer's own id of its copy beside it
            assertThat(entry.agreementId()).isEqualTo("agreement-1");
            assertThat(entry.localAgreementId()).isEqualTo("consumers-agreement-1");
            assertThat(entry.assetId()).isEqualTo("machine-data");
            assertThat(entry.policyHash()).matches("[0-9a-f]{64}");
            assertThat(entry.claimsDigest()).matches("[0-9a-f]{64}");
            assertThat(entry.time()).isEqualTo(NOW);
        });
    }

    @Test
    void validateConfirmed_whenTheAgreementDoesNotMatch_shouldRecordADenyWithEdcsReason() {
        var service = service(new Confirming(Result.failure(MISMATCH)), recorder);

        var result = service.validateConfirmed(maker, agreement, null);

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).isEqualTo(MISMATCH);
        assertThat(recorded).singleElement().satisfies(entry -> {
            assertThat(entry.outcome()).isEqualTo(DecisionOutcome.DENY);
            assertThat(entry.reasons()).containsExactly(new ConstraintReason(RecordingContractValidationService.CONSTRAINT, DecisionOutcome.DENY, MISMATCH));
        });
    }

    @Test
    void validateConfirmed_whenTheDecisionCannotBeRecorded_shouldRefuseTheAgreement() {
        var service = service(new Confirming(Result.success()), entry -> Result.failure(DecisionRecorder.NOT_RECORDED));

        var result = service.validateConfirmed(maker, agreement, null);

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).isEqualTo(DecisionRecorder.NOT_RECORDED);
    }

    @Test
    void providerChecks_shouldPassThroughUnrecorded() {
        var service = service(new Confirming(Result.success()), recorder);

        assertThat(service.validateRequest(maker, agreement).succeeded()).isTrue();
        assertThat(service.validateAgreement(maker, agreement).succeeded()).isTrue();
        assertThat(recorded).isEmpty();
    }

    private static RecordingContractValidationService service(ContractValidationService delegate, DecisionRecorder recorder) {
        return new RecordingContractValidationService(delegate, recorder, new DecisionDigests(new ObjectMapper()), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** EDC's service as far as these tests need it: the consumer's check answers as told, the rest succeeds. */
    private record Confirming(Result<Void> confirmed) implements ContractValidationService {
        @Override
        public @NotNull Result<Void> validateConfirmed(ParticipantAgent agent, ContractAgreement agreement, ContractOffer latestOffer) {
            return confirmed;
        }

        @Override
        public @NotNull Result<ValidatedConsumerOffer> validateInitialOffer(ParticipantAgent agent, ValidatableConsumerOffer consumerOffer) {
            return Result.failure("not used");
        }

        @Override
        public @NotNull Result<ContractAgreement> validateAgreement(ParticipantAgent agent, ContractAgreement agreement) {
            return Result.success(agreement);
        }

        @Override
        public @NotNull Result<Void> validateRequest(ParticipantAgent agent, ContractAgreement agreement) {
            return Result.success();
        }

        @Override
        public @NotNull Result<Void> validateRequest(ParticipantAgent agent, ContractNegotiation negotiation) {
            return Result.success();
        }
    }
}
