package io.kakehashi.identity.dcp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DcpIdentityExtensionTest {

    @Test
    void presentationCache_shouldBeOnByDefaultOffAtZeroAndRefuseNonsenseNamingTheKey() {
        assertThat(DcpIdentityExtension.presentationCache("PT1M", 10, java.time.Clock.systemUTC()).enabled()).isTrue();
        assertThat(DcpIdentityExtension.presentationCache("PT0S", 10, java.time.Clock.systemUTC()).enabled()).isFalse();
        assertThatThrownBy(() -> DcpIdentityExtension.presentationCache("1m", 10, java.time.Clock.systemUTC()))
                .hasMessageContaining("kakehashi.identity.presentation.cache");
        assertThatThrownBy(() -> DcpIdentityExtension.presentationCache("-PT1M", 10, java.time.Clock.systemUTC()))
                .hasMessageContaining("kakehashi.identity.presentation.cache");
        assertThatThrownBy(() -> DcpIdentityExtension.presentationCache("PT1M", 0, java.time.Clock.systemUTC()))
                .hasMessageContaining("kakehashi.identity.presentation.cache.max-entries");
    }

    @Test
    void scope_shouldRoundTripTheCredentialType() {
        assertThat(Dcp.credentialType(Dcp.scope("MembershipCredential"))).contains("MembershipCredential");
        assertThat(Dcp.credentialType("org.eclipse.edc.vc.type:MembershipCredential:write")).isEmpty();
        assertThat(Dcp.credentialType("other:MembershipCredential:read")).isEmpty();
    }
}
