package io.kakehashi.identity.dcp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.kakehashi.identity.did.OwnDid;
import org.eclipse.edc.spi.result.Result;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * This connector's secure token service, embedded: self-issued ID tokens ({@code iss} = {@code sub} = its DID,
 * {@code aud} = the peer's DID, short-lived, unique {@code jti}, signed with the DID's active key, {@code kid} = the
 * verification-method id) and the access tokens inside them, which let exactly one verifier read the granted
 * credential scopes from this connector's credential service. Thread-safe.
 */
public class SelfIssuedTokens {

    private final OwnDid did;
    private final Clock clock;
    private final Duration lifetime;

    public SelfIssuedTokens(OwnDid did, Clock clock, Duration lifetime) {
        this.did = did;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** An ID token for {@code audienceDid}, carrying {@code accessToken} in the {@code token} claim when not null. */
    public Result<String> idToken(String audienceDid, String accessToken) {
        var claims = base(audienceDid).subject(did.id());
        if (accessToken != null) {
            claims.claim(Dcp.TOKEN_CLAIM, accessToken);
        }
        return sign(claims.build());
    }

    /**
     * An access token for this connector's own credential service ({@code aud} = own DID) that lets {@code verifierDid}
     * ({@code sub}) read the given scopes.
     */
    public Result<String> accessToken(String verifierDid, List<String> scopes) {
        return sign(base(did.id()).subject(verifierDid).claim(Dcp.SCOPE_CLAIM, String.join(" ", scopes)).build());
    }

    /**
     * Verifies an access token this connector issued: its signature against a key of its own ring (also one replaced
     * within the grace period), its issuer and audience, and its lifetime. Returns its claims.
     */
    public Result<JWTClaimsSet> verifyOwnAccessToken(String token) {
        try {
            var jwt = SignedJWT.parse(token);
            var kid = jwt.getHeader().getKeyID();
            var prefix = did.id() + "#";
            if (kid == null || !kid.startsWith(prefix)) {
                return Result.failure("access token was not issued by this connector");
            }
            var key = did.keys().find(kid.substring(prefix.length()), clock.instant());
            if (key.isEmpty() || !JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new ECDSAVerifier(key.get().toECPublicKey()))) {
                return Result.failure("access token signature does not verify against this connector's keys");
            }
            var claims = jwt.getJWTClaimsSet();
            if (!did.id().equals(claims.getIssuer()) || claims.getAudience() == null || !claims.getAudience().contains(did.id())) {
                return Result.failure("access token is not for this connector's credential service");
            }
            if (claims.getExpirationTime() == null || !clock.instant().isBefore(claims.getExpirationTime().toInstant())) {
                return Result.failure("access token expired");
            }
            return Result.success(claims);
        } catch (ParseException | JOSEException e) {
            return Result.failure("access token is not a signed JWT");
        }
    }

    private JWTClaimsSet.Builder base(String audience) {
        var now = clock.instant();
        return new JWTClaimsSet.Builder()
                .issuer(did.id())
                .audience(audience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString());
    }

    private Result<String> sign(JWTClaimsSet claims) {
        var key = did.signingKey();
        try {
            var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(did.methodId(key)).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return Result.success(jwt.serialize());
        } catch (JOSEException e) {
            return Result.failure("cannot sign a token: " + e.getMessage());
        }
    }
}
