package io.kakehashi.identity.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.kakehashi.identity.IdentityTestFixtures;
import io.kakehashi.identity.IdentityTestFixtures.RecordingMonitor;
import io.kakehashi.identity.IdentityTestFixtures.SeenTokens;
import io.kakehashi.identity.spi.RegistryIdentifier;
import io.kakehashi.identity.spi.VerifiedClaims;
import io.kakehashi.identity.trust.TrustedPeer;
import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.iam.VerificationContext;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SelfIssuedTokenServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-23T01:00:00Z");
    private static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final ECKey makerKey = IdentityTestFixtures.newKey();
    private final ECKey vendorKey = IdentityTestFixtures.newKey();
    private final Map<String, TrustedPeer> trusted = Map.of(
            "maker", TrustedPeer.withKeyOnly(makerKey.toPublicJWK()),
            "vendor", new TrustedPeer(vendorKey.toPublicJWK(), Optional.of("JP"), Optional.of("AI Vendor K.K."),
                    RegistryIdentifier.parse("JCN:1180301018771").asOptional()));
    private final RecordingMonitor monitor = new RecordingMonitor();
    private final SeenTokens seenAtMaker = new SeenTokens();

    private SelfIssuedTokenService service(String participantId, ECKey key, SeenTokens seen, Instant now) {
        return new SelfIssuedTokenService(participantId, key, id -> Optional.ofNullable(trusted.get(id)), seen,
                Clock.fixed(now, ZoneOffset.UTC), LIFETIME, SKEW, monitor);
    }

    private final SelfIssuedTokenService maker = service("maker", makerKey, seenAtMaker, NOW);
    private final SelfIssuedTokenService vendor = service("vendor", vendorKey, new SeenTokens(), NOW);

    private static TokenParameters audience(String audience) {
        return TokenParameters.Builder.newInstance().claims("aud", audience).build();
    }

    private static VerificationContext context() {
        return VerificationContext.Builder.newInstance().policy(org.eclipse.edc.policy.model.Policy.Builder.newInstance().build()).build();
    }

    private String vendorTokenFor(String audience) {
        return vendor.obtainClientCredentials("vendor", audience(audience)).getContent().getToken();
    }

    private static TokenRepresentation token(String raw) {
        return TokenRepresentation.Builder.newInstance().token(raw).build();
    }

    @Test
    void verify_whenTrustedPeerAddressesUs_shouldYieldItsParticipantId() {
        var claims = maker.verifyJwtToken("maker", token(vendorTokenFor("maker")), context());

        assertThat(claims.succeeded()).isTrue();
        assertThat(claims.getContent().getStringClaim(SelfIssuedTokenService.PARTICIPANT_ID_CLAIM)).isEqualTo("vendor");
        assertThat(monitor.warnings).isEmpty();
    }

    @Test
    void verify_shouldCarryWhatTheTrustListVouchesFor() {
        var claims = VerifiedClaims.of("vendor", maker.verifyJwtToken("maker", token(vendorTokenFor("maker")), context()).getContent().getClaims());

        assertThat(claims.countryOfRegistration()).contains("JP");
        assertThat(claims.legalName()).contains("AI Vendor K.K.");
        assertThat(claims.registryId()).map(RegistryIdentifier::value).contains("1180301018771");
    }

    @Test
    void verify_whenTheTrustListVouchesForNothing_shouldCarryNoCountry() {
        var claims = vendor.verifyJwtToken("vendor", token(maker.obtainClientCredentials("maker", audience("vendor")).getContent().getToken()), context());

        assertThat(VerifiedClaims.of("maker", claims.getContent().getClaims()).countryOfRegistration()).isEmpty();
    }

    @Test
    void verify_whenBearerPrefixed_shouldAcceptTheToken() {
        assertThat(maker.verifyJwtToken("maker", token("Bearer " + vendorTokenFor("maker")), context()).succeeded()).isTrue();
    }

    @Test
    void obtain_shouldIssueAShortLivedEs256TokenWithAUniqueId() throws Exception {
        var first = SignedJWT.parse(vendorTokenFor("maker"));
        var second = SignedJWT.parse(vendorTokenFor("maker"));

        assertThat(first.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(first.getHeader().getKeyID()).isEqualTo(vendorKey.getKeyID());
        assertThat(first.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(NOW.plus(LIFETIME));
        assertThat(first.getJWTClaimsSet().getJWTID()).isNotEqualTo(second.getJWTClaimsSet().getJWTID());
    }

    @Test
    void obtain_whenNoAudience_shouldFail() {
        var result = vendor.obtainClientCredentials("vendor", TokenParameters.Builder.newInstance().build());

        assertThat(result.getFailureDetail()).contains("audience");
    }

    @Nested
    class Refusals {

        @Test
        void verify_whenIssuerIsNotTrusted_shouldRefuseNamingTheCheck() {
            var stranger = new SelfIssuedTokenService("stranger", IdentityTestFixtures.newKey(), id -> Optional.empty(), new SeenTokens(),
                    Clock.fixed(NOW, ZoneOffset.UTC), LIFETIME, SKEW, monitor);
            var raw = stranger.obtainClientCredentials("stranger", audience("maker")).getContent().getToken();

            assertRefused(raw, "issuer 'stranger' is not in the trust list");
        }

        @Test
        void verify_whenSignedWithAnotherKey_shouldRefuse() {
            var impostor = service("vendor", IdentityTestFixtures.newKey(), new SeenTokens(), NOW);
            var raw = impostor.obtainClientCredentials("vendor", audience("maker")).getContent().getToken();

            assertRefused(raw, "signature does not verify against the trusted key of 'vendor'");
        }

        @Test
        void verify_whenPayloadWasAltered_shouldRefuse() throws Exception {
            var parts = vendorTokenFor("maker").split("\\.");
            var altered = new JWTClaimsSet.Builder(SignedJWT.parse(String.join(".", parts)).getJWTClaimsSet()).audience("maker").subject("vendor")
                    .expirationTime(Date.from(NOW.plus(Duration.ofMinutes(9)))).build();
            var tampered = parts[0] + "." + com.nimbusds.jose.util.Base64URL.encode(altered.toString()) + "." + parts[2];

            assertRefused(tampered, "signature does not verify");
        }

        @Test
        void verify_whenMeantForAnotherConnector_shouldRefuse() {
            assertRefused(vendorTokenFor("someone-else"), "audience [someone-else] does not name this connector 'maker'");
        }

        @Test
        void verify_whenExpired_shouldRefuse() {
            var later = service("maker", makerKey, seenAtMaker, NOW.plus(LIFETIME).plus(SKEW).plusSeconds(1));

            var result = later.verifyJwtToken("maker", token(vendorTokenFor("maker")), context());

            assertThat(result.getFailureDetail()).contains("expired");
        }

        @Test
        void verify_whenIssuedInTheFuture_shouldRefuse() {
            var earlier = service("maker", makerKey, seenAtMaker, NOW.minus(Duration.ofMinutes(2)));

            assertThat(earlier.verifyJwtToken("maker", token(vendorTokenFor("maker")), context()).getFailureDetail())
                    .contains("issued in the future");
        }

        @Test
        void verify_whenReplayed_shouldRefuseTheSecondUse() {
            var raw = vendorTokenFor("maker");
            assertThat(maker.verifyJwtToken("maker", token(raw), context()).succeeded()).isTrue();

            assertRefused(raw, "already used (replay)");
        }

        @Test
        void verify_whenLifetimeIsTooLong_shouldRefuse() throws Exception {
            var raw = signed(vendorKey, JWSAlgorithm.ES256, claims("vendor", "maker").expirationTime(Date.from(NOW.plus(Duration.ofHours(12)))).build());

            assertRefused(raw, "lifetime");
        }

        @Test
        void verify_whenNotEs256_shouldRefuse() throws Exception {
            var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims("vendor", "maker").build());
            jwt.sign(new MACSigner("a-shared-secret-that-is-at-least-256-bits-long".getBytes()));

            assertRefused(jwt.serialize(), "algorithm HS256 is not accepted");
        }

        @Test
        void verify_whenSubjectDiffersFromIssuer_shouldRefuse() throws Exception {
            assertRefused(signed(vendorKey, JWSAlgorithm.ES256, claims("vendor", "maker").subject("maker").build()), "subject");
        }

        @Test
        void verify_whenNoJti_shouldRefuse() throws Exception {
            assertRefused(signed(vendorKey, JWSAlgorithm.ES256, claims("vendor", "maker").jwtID(null).build()), "no jti");
        }

        @Test
        void verify_whenNotAJwt_shouldRefuse() {
            assertRefused("not-a-token", "not a signed JWT");
        }

        @Test
        void verify_whenEmpty_shouldRefuse() {
            assertRefused("", "no token");
        }

        private void assertRefused(String raw, String reason) {
            var result = maker.verifyJwtToken("maker", token(raw), context());

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).contains(reason);
            assertThat(monitor.warnings).anySatisfy(warning -> assertThat(warning).contains(reason).doesNotContain(raw.isEmpty() ? "\u0000" : raw));
        }

        private JWTClaimsSet.Builder claims(String issuer, String audience) {
            return new JWTClaimsSet.Builder().issuer(issuer).subject(issuer).audience(audience)
                    .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plus(LIFETIME))).jwtID(UUID.randomUUID().toString());
        }

        private String signed(ECKey key, JWSAlgorithm algorithm, JWTClaimsSet claims) throws Exception {
            var jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        }
    }
}
