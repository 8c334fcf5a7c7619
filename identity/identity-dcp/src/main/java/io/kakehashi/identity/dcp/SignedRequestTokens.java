package io.kakehashi.identity.dcp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.did.OwnDid;
import io.kakehashi.identity.spi.SignedRequestVerifier;
import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Makes signed requests' tokens as a caller (an auditor) sends them ({@link SignedRequestVerifier}): a self-issued ES256
 * JWT of the caller's DID key for the verifier's DID, with a fresh {@code jti}, the request's hash
 * ({@value SignedRequestVerifier#REQUEST_CLAIM}) and the caller's credentials in a VC 1.1 JWT presentation
 * ({@code vp} claim). Thread-safe.
 */
public class SignedRequestTokens {

    private final OwnDid caller;
    private final Clock clock;
    private final Duration lifetime;

    public SignedRequestTokens(OwnDid caller, Clock clock, Duration lifetime) {
        this.caller = caller;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /**
     * The token for one request, to send as {@code Authorization: Bearer <token>}.
     *
     * @param verifierDid the DID of the connector called
     * @param target      the request's path and query as sent ({@code /auditor/v1/decisions?limit=10})
     * @param credentials the caller's credentials (JWTs) to present
     */
    public Result<String> token(String verifierDid, String method, String target, List<String> credentials) {
        var now = clock.instant();
        var presentation = Map.<String, Object>of("@context", List.of(Credentials.VC11_CONTEXT), "type", List.of("VerifiablePresentation"),
                "verifiableCredential", List.copyOf(credentials));
        var claims = new JWTClaimsSet.Builder()
                .issuer(caller.id())
                .subject(caller.id())
                .audience(verifierDid)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .claim(SignedRequestVerifier.REQUEST_CLAIM, SignedRequestVerifier.requestHash(method, target))
                .claim("vp", presentation)
                .build();
        var key = caller.signingKey();
        try {
            var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(caller.methodId(key)).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return Result.success(jwt.serialize());
        } catch (JOSEException e) {
            return Result.failure("cannot sign a request token: " + e.getMessage());
        }
    }
}
