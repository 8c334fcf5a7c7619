package io.kakehashi.identity.dcp.verifier;

import io.kakehashi.identity.dcp.Dcp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScopeAliasesTest {

    private final ScopeAliases aliases = new ScopeAliases(List.of("MembershipCredential", "LegalEntityCredential"), 2);

    @Test
    void alias_whenPeerUnknown_shouldBeDcp10s() {
        assertThat(aliases.alias("did:web:a")).isEqualTo(Dcp.SCOPE_PREFIX);
        assertThat(aliases.scopes(Dcp.SCOPE_PREFIX)).containsExactly(
                "org.eclipse.dspace.dcp.vc.type:MembershipCredential:read", "org.eclipse.dspace.dcp.vc.type:LegalEntityCredential:read");
    }

    @Test
    void accepted_whenEdcsAliasAnswered_shouldBeRememberedForThatPeerOnly() {
        aliases.accepted("did:web:a", ScopeAliases.other(Dcp.SCOPE_PREFIX));

        assertThat(aliases.alias("did:web:a")).isEqualTo(Dcp.EDC_SCOPE_PREFIX);
        assertThat(aliases.alias("did:web:b")).isEqualTo(Dcp.SCOPE_PREFIX);
        assertThat(aliases.scopes(Dcp.EDC_SCOPE_PREFIX)).first().isEqualTo("org.eclipse.edc.vc.type:MembershipCredential:read");
    }

    @Test
    void accepted_whenPeerAnswersDcp10sAliasAgain_shouldForgetEdcs() {
        aliases.accepted("did:web:a", Dcp.EDC_SCOPE_PREFIX);

        aliases.accepted("did:web:a", ScopeAliases.other(Dcp.EDC_SCOPE_PREFIX));

        assertThat(aliases.alias("did:web:a")).isEqualTo(Dcp.SCOPE_PREFIX);
    }

    @Test
    void accepted_whenMorePeersThanTheBound_shouldForgetTheLeastRecentlySeen() {
        aliases.accepted("did:web:a", Dcp.EDC_SCOPE_PREFIX);
        aliases.accepted("did:web:b", Dcp.EDC_SCOPE_PREFIX);
        aliases.alias("did:web:a");

        aliases.accepted("did:web:c", Dcp.EDC_SCOPE_PREFIX);

        assertThat(aliases.alias("did:web:a")).isEqualTo(Dcp.EDC_SCOPE_PREFIX);
        assertThat(aliases.alias("did:web:b")).isEqualTo(Dcp.SCOPE_PREFIX);
        assertThat(aliases.alias("did:web:c")).isEqualTo(Dcp.EDC_SCOPE_PREFIX);
    }
}
