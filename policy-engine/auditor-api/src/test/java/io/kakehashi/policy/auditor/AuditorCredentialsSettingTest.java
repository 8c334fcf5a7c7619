package io.kakehashi.policy.auditor;

import org.junit.jupiter.api.Test;

import static io.kakehashi.policy.auditor.AuditorApiExtension.credentialsEnabled;
import static org.assertj.core.api.Assertions.assertThat;

class AuditorCredentialsSettingTest {

    private static final String NO_DCP = "the connector's identity verifies no credentials (use the DCP identity)";

    @Test
    void credentialsEnabled_whenUnset_shouldFollowWhatTheIdentityCanDo() {
        assertThat(credentialsEnabled(null, null).getContent()).isTrue();
        assertThat(credentialsEnabled(" ", NO_DCP).getContent()).isFalse();
    }

    @Test
    void credentialsEnabled_whenTrueButImpossible_shouldFailNamingTheSettingAndWhy() {
        var result = credentialsEnabled("true", NO_DCP);

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).contains("kakehashi.auditor.credentials.enabled").contains("DCP identity");
        assertThat(credentialsEnabled("true", null).getContent()).isTrue();
    }

    @Test
    void credentialsEnabled_whenFalse_shouldBeOffEvenWherePossible() {
        assertThat(credentialsEnabled("false", null).getContent()).isFalse();
    }

    @Test
    void credentialsEnabled_whenNeitherTrueNorFalse_shouldFailNamingTheSetting() {
        assertThat(credentialsEnabled("yes", null).getFailureDetail()).contains("kakehashi.auditor.credentials.enabled").contains("'yes'");
    }
}
