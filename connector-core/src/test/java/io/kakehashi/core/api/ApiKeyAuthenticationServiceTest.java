package io.kakehashi.core.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyAuthenticationServiceTest {

    private static final String KEY = "mgmt-3f1c9a7e-key";
    private final ApiKeyAuthenticationService service = new ApiKeyAuthenticationService(KEY);

    @Test
    void isAuthenticated_whenTheExactKey_shouldPass() {
        assertThat(service.isAuthenticated(Map.of("x-api-key", List.of(KEY)))).isTrue();
    }

    @Test
    void isAuthenticated_whenTheHeaderNameDiffersInCase_shouldPass() {
        // header names are case-insensitive in HTTP; the key is not
        assertThat(service.isAuthenticated(Map.of("X-Api-Key", List.of(KEY)))).isTrue();
    }

    @Test
    void isAuthenticated_whenTheKeyUpperCased_shouldRefuse() {
        // EDC 0.15.1's TokenBasedAuthenticationService accepts this (equalsIgnoreCase)
        assertThat(service.isAuthenticated(Map.of("x-api-key", List.of(KEY.toUpperCase(Locale.ROOT))))).isFalse();
    }

    @Test
    void isAuthenticated_whenTheKeyDiffersInOneCharacter_shouldRefuse() {
        assertThat(service.isAuthenticated(Map.of("x-api-key", List.of("mgmt-3f1c9a7e-kez")))).isFalse();
    }

    @Test
    void isAuthenticated_whenAPrefixOrAnExtensionOfTheKey_shouldRefuse() {
        assertThat(service.isAuthenticated(Map.of("x-api-key", List.of(KEY.substring(0, KEY.length() - 1))))).isFalse();
        assertThat(service.isAuthenticated(Map.of("x-api-key", List.of(KEY + "x")))).isFalse();
    }

    @Test
    void isAuthenticated_whenNoKeyHeader_shouldRefuse() {
        assertThat(service.isAuthenticated(Map.of("authorization", List.of(KEY)))).isFalse();
    }

    @Test
    void isAuthenticated_whenTheKeyTwice_shouldRefuse() {
        assertThat(service.isAuthenticated(Map.of("x-api-key", List.of(KEY, KEY)))).isFalse();
    }

    @Test
    void isAuthenticated_whenTheHeaderIsRepeatedUnderAnotherCase_shouldRefuse() {
        assertThat(service.isAuthenticated(Map.of("x-api-key", List.of("wrong-key-0123456789"), "X-API-KEY", List.of(KEY)))).isFalse();
    }

    @Test
    void create_whenTheKeyIsEmpty_shouldThrow() {
        assertThatThrownBy(() -> new ApiKeyAuthenticationService("")).isInstanceOf(IllegalArgumentException.class);
    }
}
