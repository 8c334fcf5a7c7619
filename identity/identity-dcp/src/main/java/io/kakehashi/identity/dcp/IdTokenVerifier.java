package io.kakehashi.identity.dcp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.kakehashi.identity.did.DidPublicKeys;
import io.kakehashi.identity.spi.TokenTimes;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.spi.result.Result;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;

/**
 * Checks a self-issued ID token from a peer, in this order, each failure naming its check: a Bearer token; a signed
 * ES256 JWT; an
 * issuer that is a DID and equals the subject; the audience names {@code ownDid}; within its lifetime (with clock
 * skew, and no longer than {@code maximumLifetime}); a {@code jti} not seen before; the issuer's DID resolves and its
 * document holds the {@code kid}; the signature verifies against that key. It does not record the {@code jti} — the
 * caller does once the whole request is accepted, so a refused request leaves nothing behind. Thread-safe.
 */
public class IdTokenVerifier {

    private final DidPublicKeys keys;
    private final JtiValidationStore seenTokens;
    private final TokenTimes times;

    public IdTokenVerifier(DidPublicKeys keys, JtiValidationStore seenTokens, Clock clock, Duration clockSkew, Duration maximumLifetime) {
        this.keys = keys;
        this.seenTokens = seenTokens;
        this.times = new TokenTimes(clock, clockSkew, maximumLifetime);
    }

    /** The rule for a token's times it checks with: the clock skew and longest lifetime this connector accepts. */
    public TokenTimes times() {
        return times;
    }

    public Result<JWTClaimsSet> verify(String token, String ownDid) {
        if (token == null || token.isBlank()) {
            return Result.failure("no token");
        }
        // DCP: the self-issued ID token travels as a Bearer token and nothing else
        if (!token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Result.failure("token is not a Bearer token");
        }
        var raw = token.substring(7).trim();
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(raw);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return Result.failure("token is not a signed JWT");
        }
        if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
            return Result.failure("token algorithm %s is not accepted (ES256 only)".formatted(jwt.getHeader().getAlgorithm()));
        }
        var issuer = claims.getIssuer();
        if (issuer == null || !issuer.startsWith("did:")) {
            return Result.failure("token issuer '%s' is not a DID".formatted(issuer));
        }
        if (!issuer.equals(claims.getSubject())) {
            return Result.failure("token subject '%s' differs from its issuer '%s'".formatted(claims.getSubject(), issuer));
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(ownDid)) {
            return Result.failure("token audience %s does not name this connector '%s'".formatted(claims.getAudience(), ownDid));
        }
        var timed = times.check("token", claims.getIssueTime(), claims.getExpirationTime(), claims.getNotBeforeTime());
        if (timed.failed()) {
            return timed.mapFailure();
        }
        var jti = claims.getJWTID();
        if (jti == null || jti.isBlank()) {
            return Result.failure("token has no jti");
        }
        if (seenTokens.findById(jti, false) != null) {
            return Result.failure("token jti '%s' was already used (replay)".formatted(jti));
        }
        var key = keys.find(issuer, jwt.getHeader().getKeyID());
        if (key.failed()) {
            return key.mapFailure();
        }
        try {
            if (!jwt.verify(new ECDSAVerifier(key.getContent().toECPublicKey()))) {
                return Result.failure("token signature does not verify against key '%s' of '%s'".formatted(jwt.getHeader().getKeyID(), issuer));
            }
        } catch (JOSEException e) {
            return Result.failure("token signature cannot be checked: " + e.getMessage());
        }
        return Result.success(claims);
    }

}
