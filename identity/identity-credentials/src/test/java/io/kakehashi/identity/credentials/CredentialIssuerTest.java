package io.kakehashi.identity.credentials;

import io.kakehashi.identity.did.DidKeyRing;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.kakehashi.identity.credentials.CredentialTestFixtures.VALID_JCN;
import static io.kakehashi.identity.credentials.CredentialTestFixtures.WRONG_JCN;
import static io.kakehashi.identity.credentials.CredentialTestFixtures.WRONG_LEI;
import static org.assertj.core.api.Assertions.assertThat;

class CredentialIssuerTest {

    private static final String HOLDER = "did:web:127.0.0.1%3A1:alice";
    private final CredentialIssuer issuer = new CredentialIssuer("did:web:authority.example", DidKeyRing.generate().getContent(), "did:web:authority.example#k");

    @Test
    void issue_whenLegalEntityValid_shouldBeAVc2Jwt() {
        var jwt = issuer.issue(Credentials.LEGAL_ENTITY, CredentialIssuer.legalEntity(HOLDER, "Alice K.K.", "JP", VALID_JCN), Instant.now(), null, null).getContent();

        var parsed = Jws.parse(jwt, "credential").getContent();
        assertThat(parsed.jws().getHeader().getType().getType()).isEqualTo("vc+jwt");
        var credential = VerifiableCredential.read(parsed.payload()).getContent();
        assertThat(credential.types()).containsExactly("VerifiableCredential", "LegalEntityCredential");
        assertThat(credential.issuer()).isEqualTo("did:web:authority.example");
        assertThat(credential.subjectId()).isEqualTo(HOLDER);
    }

    @Test
    void issue_whenCorporateNumberCheckDigitWrong_shouldRefuse() {
        var result = issuer.issue(Credentials.LEGAL_ENTITY, CredentialIssuer.legalEntity(HOLDER, "Alice K.K.", "JP", WRONG_JCN), Instant.now(), null, null);

        assertThat(result.getFailureDetail()).contains("wrong check digit");
    }

    @Test
    void issue_whenLeiCheckWrong_shouldRefuse() {
        assertThat(issuer.issue(Credentials.LEGAL_ENTITY, CredentialIssuer.legalEntity(HOLDER, "A", "DE", WRONG_LEI), Instant.now(), null, null).failed()).isTrue();
    }

    @Test
    void issue_whenCountryLowerCaseOrUnknown_shouldRefuse() {
        assertThat(issuer.issue(Credentials.LEGAL_ENTITY, CredentialIssuer.legalEntity(HOLDER, "A", "jp", VALID_JCN), Instant.now(), null, null).failed()).isTrue();
        assertThat(issuer.issue(Credentials.LEGAL_ENTITY, CredentialIssuer.legalEntity(HOLDER, "A", "EU", VALID_JCN), Instant.now(), null, null).failed()).isTrue();
    }

    @Test
    void issue_whenValidUntilBeforeValidFrom_shouldRefuse() {
        var now = Instant.now();

        assertThat(issuer.issue(Credentials.CERTIFICATION, CredentialIssuer.certification(HOLDER, "ISO27001"), now, now.minusSeconds(1), null).failed()).isTrue();
    }

    @Test
    void issue_whenMembershipWithoutDataspace_shouldRefuse() {
        assertThat(issuer.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(HOLDER, " "), Instant.now(), null, null).failed()).isTrue();
    }
}
