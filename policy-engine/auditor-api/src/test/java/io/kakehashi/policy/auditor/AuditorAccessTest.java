package io.kakehashi.policy.auditor;

import io.kakehashi.identity.spi.AuditorCredential;
import io.kakehashi.identity.spi.SignedRequestVerifier.PresentedCredential;
import io.kakehashi.identity.spi.SignedRequestVerifier.SignedRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuditorAccessTest {

    private static final String AUDITOR = "did:web:auditor.example";
    private static final String OWN_DID = "did:web:maker.example.jp:identity";
    private static final String AUTHORITY = "did:web:authority.example";

    private final AuditorAccess access = new AuditorAccess("maker-jp");

    @Test
    void check_whenTheScopeNamesThisConnectorsDid_shouldLetTheAuditorIn() {
        assertThat(access.check(request(auditor(List.of("did:web:other.example", OWN_DID)))).getContent()).isEqualTo(AUDITOR);
    }

    @Test
    void check_whenTheScopeNamesThisParticipantId_shouldLetTheAuditorIn() {
        assertThat(access.check(request(auditor(List.of("maker-jp")))).succeeded()).isTrue();
    }

    @Test
    void check_whenTheScopeIsEveryone_shouldLetTheAuditorIn() {
        assertThat(access.check(request(auditor(List.of(AuditorCredential.ANY)))).succeeded()).isTrue();
    }

    @Test
    void check_whenTheScopeNamesOthersOnly_shouldKeepTheAuditorOut() {
        var result = access.check(request(auditor(List.of("maker-de", "did:web:other.example"))));

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).contains("does not cover this connector").contains("maker-jp").contains(OWN_DID);
    }

    @Test
    void check_whenTheScopeIsNotAList_shouldKeepTheAuditorOut() {
        var malformed = new PresentedCredential(AUTHORITY, List.of("VerifiableCredential", AuditorCredential.TYPE),
                Map.of("id", AUDITOR, AuditorCredential.AUDIT_SCOPE, "*"));

        assertThat(access.check(request(malformed)).failed()).isTrue();
    }

    @Test
    void check_whenOnlyAMembershipIsPresented_shouldKeepTheCallerOut() {
        var membership = new PresentedCredential(AUTHORITY, List.of("VerifiableCredential", "MembershipCredential"),
                Map.of("id", AUDITOR, "memberOf", "manufacturing-x", AuditorCredential.AUDIT_SCOPE, List.of("*")));

        var result = access.check(request(membership));

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).contains("presents no AuditorCredential");
    }

    @Test
    void check_whenNoCredentialIsPresented_shouldKeepTheCallerOut() {
        assertThat(access.check(new SignedRequest(AUDITOR, OWN_DID, List.of())).failed()).isTrue();
    }

    private static PresentedCredential auditor(List<String> scope) {
        return new PresentedCredential(AUTHORITY, List.of("VerifiableCredential", AuditorCredential.TYPE), Map.of("id", AUDITOR, AuditorCredential.AUDIT_SCOPE, scope));
    }

    private static SignedRequest request(PresentedCredential credential) {
        return new SignedRequest(AUDITOR, OWN_DID, List.of(credential));
    }
}
