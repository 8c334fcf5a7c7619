package io.kakehashi.core.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class BindAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "::1", "localhost", " 127.0.0.1 "})
    void parse_whenAddressOrResolvableName_shouldSucceed(String value) {
        assertThat(BindAddress.parse(value).succeeded()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "http://127.0.0.1", "127.0.0.1:8080/api", "127.0.0.1 8080", "no-such-host.invalid"})
    void parse_whenNotAnAddress_shouldFailWithReason(String value) {
        var result = BindAddress.parse(value);

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).isNotBlank();
    }

    @Test
    void parse_whenNull_shouldFail() {
        assertThat(BindAddress.parse(null).getFailureDetail()).contains("empty");
    }
}
