package io.kakehashi.transfer.spi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrpcStreamAddressesTest {

    @Test
    void parse_whenTlsEndpointWithFingerprint_shouldReadAllParts() {
        var endpoint = GrpcStreamAddresses.Endpoint.parse(GrpcStreamAddresses.endpoint("127.0.0.1", 8185, true, "abcd"));

        assertThat(endpoint).isEqualTo(new GrpcStreamAddresses.Endpoint("127.0.0.1", 8185, true, "abcd"));
        assertThat(endpoint.tls()).isTrue();
    }

    @Test
    void parse_whenPlainBulkEndpoint_shouldHaveNoFingerprint() {
        var endpoint = GrpcStreamAddresses.Endpoint.parse("grpc://localhost:9000/bulk");

        assertThat(endpoint.stream()).isFalse();
        assertThat(endpoint.tls()).isFalse();
    }

    @Test
    void parse_whenNotAGrpcEndpoint_shouldRefuse() {
        assertThatThrownBy(() -> GrpcStreamAddresses.Endpoint.parse("http://127.0.0.1:8185/bulk"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GrpcStreamAddresses.Endpoint.parse("grpcs://127.0.0.1:8185/bulk"))
                .hasMessageContaining("sha256");
        assertThatThrownBy(() -> GrpcStreamAddresses.Endpoint.parse("grpc://127.0.0.1/bulk"))
                .hasMessageContaining("port");
    }
}
