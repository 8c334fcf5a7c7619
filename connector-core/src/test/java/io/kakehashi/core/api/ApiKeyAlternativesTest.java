package io.kakehashi.core.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyAlternativesTest {

    private static final String KEY = "a-key-of-sixteen-characters";

    @Test
    void either_shouldAcceptTheKeyOrWhatTheAlternativeAccepts_andNothingElse() {
        var either = ApiKeyAlternatives.either(new ApiKeyAuthenticationService(KEY), headers -> headers.containsKey("Authorization"));

        assertThat(either.isAuthenticated(Map.of("x-api-key", List.of(KEY)))).isTrue();
        assertThat(either.isAuthenticated(Map.of("Authorization", List.of("Bearer x")))).isTrue();
        assertThat(either.isAuthenticated(Map.of("x-api-key", List.of(KEY.toUpperCase())))).isFalse();
        assertThat(either.isAuthenticated(Map.of())).isFalse();
    }

    @Test
    void register_whenTheContextHasOneAlready_shouldRefuse() {
        var alternatives = new ApiKeyAlternatives();
        alternatives.register("auditor", headers -> false);

        assertThatThrownBy(() -> alternatives.register("auditor", headers -> true)).isInstanceOf(IllegalStateException.class);
        assertThat(alternatives.forContext("auditor")).isPresent();
        assertThat(alternatives.forContext("management")).isEmpty();
    }
}
