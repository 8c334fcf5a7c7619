package io.kakehashi.identity.credentials;

import io.kakehashi.identity.credentials.CredentialTestFixtures.Authority;
import io.kakehashi.identity.credentials.TrustedIssuers.TrustedIssuer;
import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.did.DidKeyRing;
import io.kakehashi.identity.did.DidTestFixtures;
import io.kakehashi.identity.spi.RegistryIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kakehashi.identity.credentials.CredentialTestFixtures.VALID_JCN;
import static io.kakehashi.identity.credentials.CredentialTestFixtures.VALID_LEI;
import static io.kakehashi.identity.credentials.CredentialTestFixtures.WRONG_JCN;
import static io.kakehashi.identity.credentials.CredentialTestFixtures.WRONG_LEI;
import static org.assertj.core.api.Assertions.assertThat;

class CredentialVerifierTest {

    private DidDocumentServer server;
    private Authority japan;
    private Authority europe;
    private Authority rogue;
    private String holder;
    private CredentialVerifier verifier;

    @BeforeEach
    void setUp() throws IOException {
        server = new DidDocumentServer();
        japan = new Authority(server, "authority-jp");
        europe = new Authority(server, "authority-eu");
        rogue = new Authority(server, "rogue");
        holder = server.did("alice");
        var clock = Clock.systemUTC();
        var keys = DidTestFixtures.publicKeys(clock);
        var trusted = new TrustedIssuers(List.of(new TrustedIssuer(japan.did.id(), Set.of()),
                new TrustedIssuer(europe.did.id(), Set.of(Credentials.MEMBERSHIP))));
        verifier = new CredentialVerifier(keys, trusted, new StatusListResolver(new HttpDocumentFetcher(DidTestFixtures.httpClient(), true), keys, clock, Duration.ofMinutes(5)),
                clock, Duration.ofSeconds(30));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Nested
    class Accepted {

        @Test
        void verify_whenMembershipFromEitherAnchor_shouldSucceed() {
            var fromJapan = verifier.verify(japan.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(holder, "manufacturing-x")), holder);
            var fromEurope = verifier.verify(europe.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(holder, "catena-x")), holder);

            assertThat(fromJapan.succeeded()).as(fromJapan.getFailureMessages().toString()).isTrue();
            assertThat(fromEurope.succeeded()).as(fromEurope.getFailureMessages().toString()).isTrue();
        }

        @Test
        void claims_shouldCarryTypedValues() {
            var legal = verifier.verify(japan.issue(Credentials.LEGAL_ENTITY, CredentialIssuer.legalEntity(holder, "Alice K.K.", "JP", VALID_JCN)), holder).getContent();
            var member = verifier.verify(japan.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(holder, "manufacturing-x")), holder).getContent();
            var isms = verifier.verify(japan.issue(Credentials.CERTIFICATION, CredentialIssuer.certification(holder, "ISO27001")), holder).getContent();

            var claims = ClaimsFromCredentials.claims(holder, List.of(legal, member, isms)).getContent();

            assertThat(claims.countryOfRegistration()).contains("JP");
            assertThat(claims.legalName()).contains("Alice K.K.");
            assertThat(claims.registryId()).contains(RegistryIdentifier.parse(VALID_JCN).getContent());
            assertThat(claims.memberships()).containsExactly("manufacturing-x");
            assertThat(claims.holdsValidCertification("ISO27001", Instant.now())).isTrue();
            assertThat(claims.holdsValidCertification("ISO27001", Instant.now().plus(Duration.ofDays(1)))).isFalse();
        }

        @Test
        void verify_whenLei_shouldSucceed() {
            var result = verifier.verify(japan.issue(Credentials.LEGAL_ENTITY, CredentialIssuer.legalEntity(holder, "Alice GmbH", "DE", VALID_LEI)), holder);

            assertThat(result.succeeded()).isTrue();
        }
    }

    @Nested
    class Refused {

        @Test
        void verify_whenPayloadAltered_shouldFailTheSignatureCheck() {
            var jwt = japan.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(holder, "manufacturing-x"));
            var parts = jwt.split("\\.");
            var payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("manufacturing-x", "manufacturing-y");
            var forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];

            assertThat(verifier.verify(forged, holder).getFailureDetail()).contains("signature").contains("does not verify");
        }

        @Test
        void verify_whenSignedWithAnotherKeyUnderTheIssuersKeyId_shouldFailTheSignatureCheck() {
            var other = DidKeyRing.generate().getContent();
            var forger = new CredentialIssuer(japan.did.id(), other, japan.did.methodId(japan.did.signingKey()));
            var jwt = forger.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(holder, "m"), Instant.now().minusSeconds(5), null, null).getContent();

            assertThat(verifier.verify(jwt, holder).getFailureDetail()).contains("does not verify");
        }

        @Test
        void verify_whenKeyIdNotInIssuersDocument_shouldNameTheMissingKey() {
            var other = DidKeyRing.generate().getContent();
            var forger = new CredentialIssuer(japan.did.id(), other, japan.did.id() + "#" + other.getKeyID());
            var jwt = forger.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(holder, "m"), Instant.now().minusSeconds(5), null, null).getContent();

            assertThat(verifier.verify(jwt, holder).getFailureDetail()).contains("has no verification method");
        }

        @Test
        void verify_whenIssuerUntrusted_shouldNameTheIssuer() {
            var jwt = rogue.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(holder, "manufacturing-x"));

            assertThat(verifier.verify(jwt, holder).getFailureDetail()).contains("is not a trusted issuer");
        }

        @Test
        void verify_whenAnchorNotTrustedForTheType_shouldFail() {
            var jwt = europe.issue(Credentials.CERTIFICATION, CredentialIssuer.certification(holder, "ISO27001"));

            assertThat(verifier.verify(jwt, holder).getFailureDetail()).contains("is not trusted for CertificationCredential");
        }

        @Test
        void verify_whenIssuerDidUnresolvable_shouldSaySo() {
            var ghost = "did:web:127.0.0.1%3A" + server.port() + ":ghost";
            var key = DidKeyRing.generate().getContent();
            var jwt = new CredentialIssuer(ghost, key, ghost + "#" + key.getKeyID())
                    .issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(holder, "m"), Instant.now().minusSeconds(5), null, null).getContent();
            var keys = DidTestFixtures.publicKeys(Clock.systemUTC());
            var trustingGhost = new CredentialVerifier(keys, new TrustedIssuers(List.of(new TrustedIssuer(ghost, Set.of()))),
                    new StatusListResolver(url -> null, keys, Clock.systemUTC(), Duration.ofMinutes(1)), Clock.systemUTC(), Duration.ZERO);

            assertThat(trustingGhost.verify(jwt, holder).getFailureDetail()).contains("cannot be resolved");
        }

        @Test
        void verify_whenNotYetValid_shouldSaySo() {
            var jwt = japan.issuer.issue(Credentials.CERTIFICATION, CredentialIssuer.certification(holder, "ISO27001"),
                    Instant.now().plus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(400)), null).getContent();

            assertThat(verifier.verify(jwt, holder).getFailureDetail()).contains("is not valid before");
        }

        @Test
        void verify_whenExpired_shouldSaySo() {
            var jwt = japan.issuer.issue(Credentials.CERTIFICATION, CredentialIssuer.certification(holder, "ISO27001"),
                    Instant.now().minus(Duration.ofDays(400)), Instant.now().minus(Duration.ofDays(1)), null).getContent();

            assertThat(verifier.verify(jwt, holder).getFailureDetail()).contains("expired at");
        }

        @Test
        void verify_whenRevoked_shouldSaySo() {
            var status = japan.nextStatus();
            var jwt = japan.issuer.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(holder, "m"), Instant.now().minusSeconds(5), null, status).getContent();
            japan.revoke(status);

            assertThat(verifier.verify(jwt, holder).getFailureDetail()).contains("is revoked");
        }

        @Test
        void verify_whenStatusListFromAnotherIssuer_shouldFail() {
            var jwt = japan.issuer.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(holder, "m"), Instant.now().minusSeconds(5), null,
                    rogue.nextStatus()).getContent();

            assertThat(verifier.verify(jwt, holder).getFailureDetail()).contains("not by the credential's issuer");
        }

        @Test
        void verify_whenSubjectIsAnotherParticipant_shouldFail() {
            var jwt = japan.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(server.did("bob"), "m"));

            assertThat(verifier.verify(jwt, holder).getFailureDetail()).contains("is not the presenter");
        }

        @Test
        void verify_whenCorporateNumberCheckDigitWrong_shouldSaySo() {
            var jwt = unchecked(Credentials.LEGAL_ENTITY, CredentialIssuer.legalEntity(holder, "Alice K.K.", "JP", WRONG_JCN));

            assertThat(verifier.verify(jwt, holder).getFailureDetail()).contains("wrong check digit");
        }

        @Test
        void verify_whenLeiCheckWrong_shouldSaySo() {
            var jwt = unchecked(Credentials.LEGAL_ENTITY, CredentialIssuer.legalEntity(holder, "Alice GmbH", "DE", WRONG_LEI));

            assertThat(verifier.verify(jwt, holder).getFailureDetail()).contains("MOD 97-10");
        }

        @Test
        void verify_whenCountryNotIso_shouldSaySo() {
            var jwt = unchecked(Credentials.LEGAL_ENTITY, CredentialIssuer.legalEntity(holder, "Alice", "XX", VALID_JCN));

            assertThat(verifier.verify(jwt, holder).getFailureDetail()).contains("ISO 3166-1");
        }

        @Test
        void verify_whenNotAJws_shouldSaySo() {
            assertThat(verifier.verify("not-a-jwt", holder).getFailureDetail()).contains("not a JWS");
        }

        @Test
        void verify_whenNotVc2_shouldSaySo() {
            var jwt = Jws.sign(Map.of("@context", List.of("https://www.w3.org/2018/credentials/v1"), "type", List.of("VerifiableCredential")),
                    japan.did.signingKey(), japan.did.methodId(japan.did.signingKey()), Credentials.VC_JWT_TYPE).getContent();

            assertThat(verifier.verify(jwt, holder).getFailureDetail()).contains("VC Data Model 2.0");
        }

        /** A credential signed by the trusted authority without the issuer's subject checks (a buggy or lax issuer). */
        private String unchecked(String type, Map<String, Object> subject) {
            var credential = new java.util.LinkedHashMap<String, Object>();
            credential.put("@context", Credentials.CONTEXTS);
            credential.put("type", List.of(Credentials.VERIFIABLE_CREDENTIAL, type));
            credential.put("issuer", japan.did.id());
            credential.put("validFrom", Instant.now().minusSeconds(5).toString());
            credential.put("credentialSubject", subject);
            return Jws.sign(credential, japan.did.signingKey(), japan.did.methodId(japan.did.signingKey()), Credentials.VC_JWT_TYPE).getContent();
        }
    }
}
