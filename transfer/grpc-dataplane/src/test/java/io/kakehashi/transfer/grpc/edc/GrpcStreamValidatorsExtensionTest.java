package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.spi.GrpcStreamAddresses;

import org.eclipse.edc.spi.types.domain.DataAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcStreamValidatorsExtensionTest {

    private static final String EDC = "https://w3id.org/edc/v0.0.1/ns/";

    @Test
    void allowList_whenThePushDestinationTheConsumerSends_shouldPass() {
        var destination = DataAddress.Builder.newInstance().type(GrpcStreamAddresses.TYPE)
                .property(GrpcStreamAddresses.ENDPOINT, "grpc://127.0.0.1:9/bulk")
                .property(GrpcStreamAddresses.AUTHORIZATION, "token")
                .property(GrpcStreamAddresses.TRANSFER_ID, "t-1")
                .build();

        assertThat(GrpcStreamValidatorsExtension.ALLOW_LIST.validate(destination).succeeded()).isTrue();
    }

    @Test
    void allowList_whenThePullDestinationIsTheTypeAlone_shouldPass() {
        var destination = DataAddress.Builder.newInstance().type(GrpcStreamAddresses.TYPE).build();

        assertThat(GrpcStreamValidatorsExtension.ALLOW_LIST.validate(destination).succeeded()).isTrue();
    }

    @Test
    void allowList_whenAnEdcPropertyIsSpelledWithoutItsNamespace_shouldPass() {
        var destination = DataAddress.Builder.newInstance().type(GrpcStreamAddresses.TYPE).property("endpoint", "grpc://127.0.0.1:9/bulk").build();

        assertThat(GrpcStreamValidatorsExtension.ALLOW_LIST.validate(destination).succeeded()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { EDC + "secretName", "keyName", "path", GrpcStreamAddresses.DESTINATION_PATH, GrpcStreamAddresses.RECORD_FILE })
    void allowList_whenAnyOtherProperty_shouldRefuseNamingIt(String key) {
        var destination = DataAddress.Builder.newInstance().type(GrpcStreamAddresses.TYPE).property(key, "kakehashi-did-keys").build();

        var result = GrpcStreamValidatorsExtension.ALLOW_LIST.validate(destination);

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).contains(key).doesNotContain("kakehashi-did-keys");
    }
}
