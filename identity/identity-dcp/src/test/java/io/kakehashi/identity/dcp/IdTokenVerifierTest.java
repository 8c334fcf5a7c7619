package io.kakehashi.identity.dcp;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.identity.did.DidTestFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The lifetime rule of peers' ID tokens: at most the maximum, give or take the rounding of iat and exp to seconds. */
class IdTokenVerifierTest {

    @TempDir
    Path work;

    private DidDocumentServer server;
    private Participant alice;
    private Participant bob;
    private IdTokenVerifier verifier;

    @BeforeEach
    void setUp() throws IOException {
        server = new DidDocumentServer();
        alice = new Participant(server, "alice", work, new TrustedIssuers(List.of()), Clock.systemUTC());
        bob = new Participant(server, "bob", work, new TrustedIssuers(List.of()), Clock.systemUTC());
        verifier = new IdTokenVerifier(DidTestFixtures.publicKeys(Clock.systemUTC()), bob.seenTokens, Clock.systemUTC(),
                Duration.ofSeconds(30), Duration.ofMinutes(10));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void verify_whenLifetimeIsTheMaximumPlusItsRounding_shouldAccept() throws Exception {
        // "iat = now, exp = now + 600 s" taken at two instants can span 601 whole seconds
        var result = verifier.verify("Bearer " + aliceToken(Duration.ofSeconds(601)), bob.did.id());

        assertThat(result.succeeded()).as(result.getFailureMessages().toString()).isTrue();
    }

    @Test
    void verify_whenLifetimeExceedsTheMaximumByMore_shouldRefuseNamingIt() throws Exception {
        var result = verifier.verify("Bearer " + aliceToken(Duration.ofSeconds(602)), bob.did.id());

        assertThat(result.getFailureDetail()).contains("lifetime").contains("exceeds");
    }

    private String aliceToken(Duration lifetime) throws Exception {
        var now = Instant.now().minusSeconds(1);
        var claims = new JWTClaimsSet.Builder().issuer(alice.did.id()).subject(alice.did.id()).audience(bob.did.id())
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(lifetime)))
                .claim(Dcp.TOKEN_CLAIM, "opaque").build();
        var key = alice.did.signingKey();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(alice.did.methodId(key)).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }
}
