package io.kakehashi.ai.transfer;

import io.kakehashi.transfer.spi.GrpcStreamAddresses;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ComputeDestinationsExtensionTest {

    private static DataAddress.Builder destination() {
        return DataAddress.Builder.newInstance().type(ComputeTransferAddresses.TYPE)
                .property(ComputeTransferAddresses.JOB, "{}")
                .property(GrpcStreamAddresses.ENDPOINT, "grpc://127.0.0.1:9/bulk")
                .property(GrpcStreamAddresses.AUTHORIZATION, "token")
                .property(GrpcStreamAddresses.TRANSFER_ID, "t-1");
    }

    @Test
    void allowList_whenTheDestinationAConsumerWritesWithProgress_shouldPass() {
        var address = destination().property(ComputeTransferAddresses.PROGRESS_AUTHORIZATION, "p")
                .property(ComputeTransferAddresses.PROGRESS_TRANSFER_ID, "t-2").build();

        assertThat(ComputeDestinationsExtension.ALLOW_LIST.validate(address).succeeded()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://w3id.org/edc/v0.0.1/ns/secretName", "keyName", "path", "https://w3id.org/kakehashi/compute/model" })
    void allowList_whenAnyOtherProperty_shouldRefuseNamingIt(String key) {
        var result = ComputeDestinationsExtension.ALLOW_LIST.validate(destination().property(key, "dataplane-token-signer").build());

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).contains(key).doesNotContain("dataplane-token-signer");
    }
}
