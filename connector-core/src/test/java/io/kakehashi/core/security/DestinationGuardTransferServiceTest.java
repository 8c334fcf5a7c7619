package io.kakehashi.core.security;

import org.eclipse.edc.connector.dataplane.spi.pipeline.StreamFailure;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.eclipse.edc.spi.types.domain.transfer.DataFlowStartMessage;
import org.eclipse.edc.spi.types.domain.transfer.FlowType;
import org.eclipse.edc.spi.types.domain.transfer.TransferType;
import org.eclipse.edc.validator.spi.DataAddressValidatorRegistry;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Validator;
import org.eclipse.edc.validator.spi.Violation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DestinationGuardTransferServiceTest {

    private static final String EDC = "https://w3id.org/edc/v0.0.1/ns/";

    private final DestinationGuardTransferService guard = new DestinationGuardTransferService(registry());

    private static CounterpartyDestinationRegistry registry() {
        var registry = new CounterpartyDestinationRegistry(new DataAddressValidatorRegistry() {
            @Override
            public void registerSourceValidator(String type, Validator<DataAddress> validator) {
            }

            @Override
            public void registerDestinationValidator(String type, Validator<DataAddress> validator) {
            }

            @Override
            public ValidationResult validateSource(DataAddress address) {
                return ValidationResult.success();
            }

            @Override
            public ValidationResult validateDestination(DataAddress address) {
                return ValidationResult.success();
            }
        });
        registry.registerDestinationValidator(HttpDataDestinations.TYPE, HttpDataDestinations.validator());
        // as EDC's own HttpData validator does
        registry.registerDestinationValidator(HttpDataDestinations.TYPE, address -> address.getProperties().containsKey(EDC + "baseUrl")
                ? ValidationResult.success() : ValidationResult.failure(Violation.violation("baseUrl is required", EDC + "baseUrl")));
        return registry;
    }

    private static DataFlowStartMessage flowTo(DataAddress destination) {
        return flowTo(destination, FlowType.PUSH);
    }

    private static DataFlowStartMessage flowTo(DataAddress destination, FlowType flowType) {
        return DataFlowStartMessage.Builder.newInstance().processId("p-1").assetId("a").agreementId("agr")
                .participantId("consumer").callbackAddress(java.net.URI.create("http://127.0.0.1:1/cb"))
                .transferType(new TransferType("HttpData", flowType))
                .sourceDataAddress(DataAddress.Builder.newInstance().type("HttpData").property(EDC + "baseUrl", "http://127.0.0.1:1/s").build())
                .destinationDataAddress(destination)
                .build();
    }

    @Test
    void validate_whenAFlowsDestinationNamesAVaultEntry_shouldTakeItAndRefuseNamingTheKey() throws Exception {
        // what a stored destination from before the rules, or a control-API caller, could hand the data plane
        var flow = flowTo(DataAddress.Builder.newInstance().type("HttpData").property(EDC + "baseUrl", "http://127.0.0.1:1/in")
                .property(EDC + "authKey", "X-Leak").property(EDC + "secretName", "kakehashi-did-keys").build());

        assertThat(guard.canHandle(flow)).isTrue();
        assertThat(guard.validate(flow).getFailureDetail()).contains("secretName").doesNotContain("kakehashi-did-keys");
        var result = guard.transfer(flow).get();
        assertThat(result.failed()).isTrue();
        assertThat(result.getFailure().getReason()).isEqualTo(StreamFailure.Reason.GENERAL_ERROR);
    }

    @Test
    void canHandle_whenTheDestinationIsValid_shouldLeaveTheFlowToTheOtherServices() {
        var flow = flowTo(DataAddress.Builder.newInstance().type("HttpData").property(EDC + "baseUrl", "http://127.0.0.1:1/in").build());

        assertThat(guard.canHandle(flow)).isFalse();
        assertThat(guard.validate(flow).succeeded()).isTrue();
    }

    @Test
    void canHandle_whenAPullFlowHasTheBareDestinationTheControlPlaneFillsIn_shouldLeaveItToTheServiceThatRunsIt() {
        var flow = flowTo(DataAddress.Builder.newInstance().type("HttpData").build(), FlowType.PULL);

        assertThat(guard.canHandle(flow)).isFalse();
    }
}
