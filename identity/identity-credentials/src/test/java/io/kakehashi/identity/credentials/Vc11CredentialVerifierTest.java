package io.kakehashi.identity.credentials;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.kakehashi.identity.credentials.CredentialTestFixtures.Authority;
import io.kakehashi.identity.credentials.TrustedIssuers.TrustedIssuer;
import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.did.DidTestFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kakehashi.identity.credentials.CredentialTestFixtures.WRONG_JCN;
import static org.assertj.core.api.Assertions.assertThat;

/** VC Data Model 1.1 JWT credentials (the {@code vc} claim), as DCP 1.0 peers and the DCP TCK send them, and credential schemas. */
class Vc11CredentialVerifierTest {

    private DidDocumentServer server;
    private Authority japan;
    private String holder;
    private CredentialVerifier verifier;

    @BeforeEach
    void setUp() throws IOException {
        server = new DidDocumentServer();
        japan = new Authority(server, "authority-jp");
        holder = server.did("alice");
        var clock = Clock.systemUTC();
        var keys = DidTestFixtures.publicKeys(clock);
        var fetcher = new HttpDocumentFetcher(DidTestFixtures.httpClient(), true);
        verifier = new CredentialVerifier(keys, new TrustedIssuers(List.of(new TrustedIssuer(japan.did.id(), Set.of()))),
                new StatusListResolver(fetcher, keys, clock, Duration.ofMinutes(5)),
                new CredentialSchemas(fetcher, clock, Duration.ofMinutes(5)), clock, Duration.ofSeconds(30));
        server.put("/schemas/membership.json", Map.of("$schema", "http://json-schema.org/draft-04/schema#", "type", "object",
                "properties", Map.of("id", Map.of("type", "string"), "foo", Map.of("type", "string")), "required", List.of("id", "foo")));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Nested
    class Accepted {

        @Test
        void verify_whenVc11JwtAsTheTckSendsIt_shouldSucceedWithItsDates() {
            // the TCK's credential: its id as @context, no VerifiableCredential type, the credential id as JWT sub
            var vc = vc(Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
            vc.put("@context", "urn:uuid:c0ffee");
            var result = verifier.verify(jwt(vc, Map.of("sub", "urn:uuid:c0ffee")), holder);

            assertThat(result.succeeded()).as(result.getFailureMessages().toString()).isTrue();
            assertThat(result.getContent().format()).isEqualTo(VerifiableCredential.Format.VC11_JWT);
            assertThat(result.getContent().types()).containsExactly(Credentials.MEMBERSHIP);
            assertThat(result.getContent().validUntil()).isPresent();
        }

        @Test
        void verify_whenSubjectSatisfiesItsSchema_shouldSucceed() {
            var vc = vc(Instant.now().minusSeconds(60), null);
            vc.put("credentialSchema", Map.of("id", schemaUrl(), "type", "JsonSchemaValidator2018"));

            var result = verifier.verify(jwt(vc, Map.of()), holder);

            assertThat(result.succeeded()).as(result.getFailureMessages().toString()).isTrue();
        }

        @Test
        void claims_whenVc11Membership_shouldAddOnlyTheDataspaceItNames() {
            var named = vc(Instant.now().minusSeconds(60), null);
            named.put("credentialSubject", Map.of("id", holder, Credentials.MEMBER_OF, "manufacturing-x"));
            var unnamed = vc(Instant.now().minusSeconds(60), null);

            var credentials = List.of(verifier.verify(jwt(named, Map.of()), holder).getContent(), verifier.verify(jwt(unnamed, Map.of()), holder).getContent());
            var claims = ClaimsFromCredentials.claims(holder, credentials).getContent();

            assertThat(claims.memberships()).containsExactly("manufacturing-x");
        }
    }

    @Nested
    class Refused {

        @Test
        void verify_whenExpirationDatePassed_shouldSaySo() {
            var result = verifier.verify(jwt(vc(Instant.now().minusSeconds(3600), Instant.now().minusSeconds(120)), Map.of()), holder);

            assertThat(result.getFailureDetail()).contains("expired");
        }

        @Test
        void verify_whenJwtExpiredBeforeItsExpirationDate_shouldSaySo() {
            var exp = Instant.now().minusSeconds(120).getEpochSecond();
            var result = verifier.verify(jwt(vc(Instant.now().minusSeconds(3600), Instant.now().plusSeconds(3600)), Map.of("exp", exp)), holder);

            assertThat(result.getFailureDetail()).contains("expired");
        }

        @Test
        void verify_whenIssuanceDateInTheFuture_shouldSaySo() {
            var result = verifier.verify(jwt(vc(Instant.now().plusSeconds(3600), null), Map.of()), holder);

            assertThat(result.getFailureDetail()).contains("not valid before");
        }

        @Test
        void verify_whenJwtIssuerIsNotTheCredentialsIssuer_shouldSaySo() {
            var result = verifier.verify(jwt(vc(Instant.now().minusSeconds(60), null), Map.of("iss", server.did("rogue"))), holder);

            assertThat(result.getFailureDetail()).contains("differs from its vc issuer");
        }

        @Test
        void verify_whenSignedWithAnotherKeyUnderTheIssuersKeyId_shouldFailTheSignatureCheck() throws Exception {
            var other = new ECKeyGenerator(Curve.P_256).generate();
            var forged = Jws.sign(payload(vc(Instant.now().minusSeconds(60), null), Map.of()), other,
                    japan.did.methodId(japan.did.signingKey()), "JWT").getContent();

            assertThat(verifier.verify(forged, holder).getFailureDetail()).contains("does not verify");
        }

        @Test
        void verify_whenSubjectIsAnotherParticipant_shouldFail() {
            var vc = vc(Instant.now().minusSeconds(60), null);
            vc.put("credentialSubject", Map.of("id", server.did("mallory")));

            assertThat(verifier.verify(jwt(vc, Map.of()), holder).getFailureDetail()).contains("is not the presenter");
        }

        @Test
        void verify_whenRegistryIdCheckDigitWrong_shouldSaySo() {
            var vc = vc(Instant.now().minusSeconds(60), null);
            vc.put("type", List.of(Credentials.LEGAL_ENTITY));
            vc.put("credentialSubject", Map.of("id", holder, Credentials.REGISTRY_ID, WRONG_JCN));

            assertThat(verifier.verify(jwt(vc, Map.of()), holder).getFailureDetail()).containsIgnoringCase("check digit");
        }

        @Test
        void verify_whenNoVcType_shouldSaySo() {
            var vc = vc(Instant.now().minusSeconds(60), null);
            vc.remove("type");

            assertThat(verifier.verify(jwt(vc, Map.of()), holder).getFailureDetail()).contains("no type");
        }

        @Test
        void verify_whenSubjectViolatesItsSchema_shouldNameTheSchema() {
            var vc = vc(Instant.now().minusSeconds(60), null);
            vc.put("credentialSubject", Map.of("id", holder, "baz", "quazz"));
            vc.put("credentialSchema", Map.of("id", schemaUrl(), "type", "JsonSchemaValidator2018"));

            var result = verifier.verify(jwt(vc, Map.of()), holder);

            assertThat(result.getFailureDetail()).contains("does not satisfy the credential schema", schemaUrl(), "foo");
        }

        @Test
        void verify_whenSchemaRefersToAnotherDocument_shouldNotFetchItAndRefuse() {
            var elsewhere = "http://127.0.0.1:%d/schemas/elsewhere.json".formatted(server.port());
            server.put("/schemas/elsewhere.json", Map.of("type", "object"));
            server.put("/schemas/referring.json", Map.of("$schema", "https://json-schema.org/draft/2020-12/schema", "$ref", elsewhere));
            var vc = vc(Instant.now().minusSeconds(60), null);
            vc.put("credentialSchema", Map.of("id", "http://127.0.0.1:%d/schemas/referring.json".formatted(server.port()), "type", "JsonSchema"));

            var result = verifier.verify(jwt(vc, Map.of()), holder);

            // had the $ref been fetched, the subject would satisfy {"type": "object"} and the credential pass, as it does
            // when that schema is named directly
            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).contains("referring.json");
            var direct = vc(Instant.now().minusSeconds(60), null);
            direct.put("credentialSchema", Map.of("id", elsewhere, "type", "JsonSchema"));
            assertThat(verifier.verify(jwt(direct, Map.of()), holder).succeeded()).isTrue();
        }

        @Test
        void verify_whenSchemaTypeUnknown_shouldSaySo() {
            var vc = vc(Instant.now().minusSeconds(60), null);
            vc.put("credentialSchema", Map.of("id", schemaUrl(), "type", "ShaclValidator2017"));

            assertThat(verifier.verify(jwt(vc, Map.of()), holder).getFailureDetail()).contains("is not one this verifier checks");
        }

        @Test
        void verify_whenSchemaCannotBeFetched_shouldSaySo() {
            var vc = vc(Instant.now().minusSeconds(60), null);
            vc.put("credentialSchema", Map.of("id", "http://127.0.0.1:%d/schemas/missing.json".formatted(server.port()), "type", "JsonSchema"));

            assertThat(verifier.verify(jwt(vc, Map.of()), holder).getFailureDetail()).contains("cannot be fetched");
        }

        @Test
        void verify_whenVerifierCannotFetchSchemas_shouldRefuseACredentialNamingOne() {
            var clock = Clock.systemUTC();
            var keys = DidTestFixtures.publicKeys(clock);
            var withoutSchemas = new CredentialVerifier(keys, new TrustedIssuers(List.of(new TrustedIssuer(japan.did.id(), Set.of()))),
                    new StatusListResolver(new HttpDocumentFetcher(DidTestFixtures.httpClient(), true), keys, clock, Duration.ofMinutes(5)),
                    clock, Duration.ofSeconds(30));
            var vc = vc(Instant.now().minusSeconds(60), null);
            vc.put("credentialSchema", Map.of("id", schemaUrl(), "type", "JsonSchema"));

            assertThat(withoutSchemas.verify(jwt(vc, Map.of()), holder).getFailureDetail()).contains("cannot be fetched");
        }
    }

    private String schemaUrl() {
        return "http://127.0.0.1:%d/schemas/membership.json".formatted(server.port());
    }

    private Map<String, Object> vc(Instant issued, Instant expires) {
        var vc = new LinkedHashMap<String, Object>();
        vc.put("@context", List.of("https://www.w3.org/2018/credentials/v1"));
        vc.put("id", "urn:uuid:" + java.util.UUID.randomUUID());
        vc.put("type", List.of(Credentials.MEMBERSHIP));
        vc.put("issuer", japan.did.id());
        vc.put("issuanceDate", issued.toString());
        if (expires != null) {
            vc.put("expirationDate", expires.toString());
        }
        vc.put("credentialSubject", Map.of("id", holder, "foo", "bar"));
        return vc;
    }

    private Map<String, Object> payload(Map<String, Object> vc, Map<String, Object> claims) {
        var payload = new LinkedHashMap<String, Object>();
        payload.put("iss", japan.did.id());
        payload.put("sub", holder);
        payload.put("nbf", Instant.now().minusSeconds(60).getEpochSecond());
        payload.put("exp", Instant.now().plusSeconds(7200).getEpochSecond());
        payload.put("vc", vc);
        payload.putAll(claims);
        return payload;
    }

    private String jwt(Map<String, Object> vc, Map<String, Object> claims) {
        return Jws.sign(payload(vc, claims), japan.did.signingKey(), japan.did.methodId(japan.did.signingKey()), "JWT").getContent();
    }
}
