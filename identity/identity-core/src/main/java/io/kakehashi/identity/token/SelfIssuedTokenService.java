package io.kakehashi.identity.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.kakehashi.identity.spi.TokenTimes;
import io.kakehashi.identity.spi.VerifiedClaims;
import io.kakehashi.identity.trust.TrustedPeers;
import org.eclipse.edc.jwt.validation.jti.JtiValidationEntry;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.spi.iam.ClaimToken;
import org.eclipse.edc.spi.iam.IdentityService;
import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.iam.VerificationContext;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.UUID;

/**
 * Identity by self-issued tokens: every outgoing DSP request carries an ES256 JWT that this connector signs with its
 * own key ({@code iss} = {@code sub} = its participant id, {@code aud} = the counter-party's id, a short lifetime and a
 * unique {@code jti}); an incoming token is accepted only when its issuer is in the trust list, the signature verifies
 * against that issuer's key, it is meant for this connector, it is within its lifetime, and its {@code jti} has not
 * been seen before. Each refusal says which check failed.
 * <p>
 * Thread-safe.
 */
public class SelfIssuedTokenService implements IdentityService {

    /** The claim EDC reads the counter-party's participant id from. */
    public static final String PARTICIPANT_ID_CLAIM = "client_id";
    static final JOSEObjectType TOKEN_TYPE = new JOSEObjectType("kakehashi-si+jwt");

    private final String participantId;
    private final ECKey signingKey;
    private final TrustedPeers peers;
    private final JtiValidationStore seenTokens;
    private final Clock clock;
    private final Duration lifetime;
    private final TokenTimes times;
    private final Monitor monitor;

    public SelfIssuedTokenService(String participantId, ECKey signingKey, TrustedPeers peers, JtiValidationStore seenTokens,
                                  Clock clock, Duration lifetime, Duration clockSkew, Monitor monitor) {
        this.participantId = participantId;
        this.signingKey = signingKey;
        this.peers = peers;
        this.seenTokens = seenTokens;
        this.clock = clock;
        this.lifetime = lifetime;
        // a peer may choose a longer lifetime than ours, up to twice it
        this.times = new TokenTimes(clock, clockSkew, lifetime.multipliedBy(2));
        this.monitor = monitor;
    }

    @Override
    public Result<TokenRepresentation> obtainClientCredentials(String participantContextId, TokenParameters parameters) {
        var audience = parameters.getStringClaim("aud");
        if (audience == null || audience.isBlank()) {
            return Result.failure("no audience for the token: the request names no counter-party id");
        }
        var now = clock.instant();
        var claims = new JWTClaimsSet.Builder()
                .issuer(participantId)
                .subject(participantId)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        var header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID()).type(TOKEN_TYPE).build();
        try {
            var jwt = new SignedJWT(header, claims);
            jwt.sign(new ECDSASigner(signingKey));
            return Result.success(TokenRepresentation.Builder.newInstance()
                    .token(jwt.serialize())
                    .expiresIn(lifetime.toSeconds())
                    .build());
        } catch (JOSEException e) {
            return Result.failure("cannot sign the token: " + e.getMessage());
        }
    }

    @Override
    public Result<ClaimToken> verifyJwtToken(String participantContextId, TokenRepresentation tokenRepresentation, VerificationContext context) {
        var result = verify(tokenRepresentation);
        if (result.failed()) {
            // the one place that knows which check failed; the token itself is never logged
            monitor.warning("Refused a DSP request token: " + result.getFailureDetail());
        }
        return result;
    }

    private Result<ClaimToken> verify(TokenRepresentation tokenRepresentation) {
        var raw = tokenRepresentation.getToken();
        if (raw == null || raw.isBlank()) {
            return Result.failure("no token");
        }
        if (raw.regionMatches(true, 0, "Bearer ", 0, 7)) {
            raw = raw.substring(7);
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(raw);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return Result.failure("token is not a signed JWT: " + e.getMessage());
        }
        if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
            return Result.failure("token algorithm %s is not accepted (ES256 only)".formatted(jwt.getHeader().getAlgorithm()));
        }
        var issuer = claims.getIssuer();
        if (issuer == null || issuer.isBlank()) {
            return Result.failure("token has no issuer");
        }
        if (!issuer.equals(claims.getSubject())) {
            return Result.failure("token subject '%s' differs from its issuer '%s'".formatted(claims.getSubject(), issuer));
        }
        var peer = peers.find(issuer);
        if (peer.isEmpty()) {
            return Result.failure("issuer '%s' is not in the trust list".formatted(issuer));
        }
        try {
            if (!jwt.verify(new ECDSAVerifier(peer.get().publicKey().toECPublicKey()))) {
                return Result.failure("token signature does not verify against the trusted key of '%s'".formatted(issuer));
            }
        } catch (JOSEException e) {
            return Result.failure("token signature cannot be checked: " + e.getMessage());
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(participantId)) {
            return Result.failure("token audience %s does not name this connector '%s'".formatted(claims.getAudience(), participantId));
        }
        var timeCheck = checkTimes(claims);
        if (timeCheck.failed()) {
            return Result.failure(timeCheck.getFailureDetail());
        }
        var jti = claims.getJWTID();
        if (jti == null || jti.isBlank()) {
            return Result.failure("token has no jti");
        }
        var stored = seenTokens.storeEntry(new JtiValidationEntry(jti, claims.getExpirationTime().getTime()));
        if (stored.failed()) {
            return Result.failure("token '%s' was already used (replay)".formatted(jti));
        }
        var claimToken = ClaimToken.Builder.newInstance()
                .claim(PARTICIPANT_ID_CLAIM, issuer)
                .claim("iss", issuer)
                .claim("sub", issuer)
                .claim("aud", claims.getAudience())
                .claim("jti", jti);
        // what the operator vouches for in the trust list, for policies (until credentials establish it)
        peer.get().countryOfRegistration().ifPresent(country -> claimToken.claim(VerifiedClaims.COUNTRY_OF_REGISTRATION, country));
        peer.get().legalName().ifPresent(name -> claimToken.claim(VerifiedClaims.LEGAL_NAME, name));
        peer.get().registryId().ifPresent(registryId -> claimToken.claim(VerifiedClaims.REGISTRY_ID, registryId.toString()));
        return Result.success(claimToken.build());
    }

    private Result<Void> checkTimes(JWTClaimsSet claims) {
        return times.check("token", claims.getIssueTime(), claims.getExpirationTime(), claims.getNotBeforeTime());
    }
}
