package io.kakehashi.identity.dcp.verifier;

import io.kakehashi.identity.credentials.VerifiableCredential;
import io.kakehashi.identity.dcp.IdTokenVerifier;
import io.kakehashi.identity.did.OwnDid;
import io.kakehashi.identity.spi.SignedRequestVerifier;
import org.eclipse.edc.jwt.validation.jti.JtiValidationEntry;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.spi.result.Result;

import java.time.Duration;
import java.util.Map;

/**
 * A signed request verified with the DCP identity's own checks, in this order, each failure naming its check: the
 * token is a self-issued ID token for this connector ({@link IdTokenVerifier}: ES256, issuer = subject = a DID,
 * audience this connector's DID, within its lifetime of at most {@link #MAXIMUM_LIFETIME}, an unused {@code jti}, the
 * signature against the caller's DID document); its {@value SignedRequestVerifier#REQUEST_CLAIM} claim is this
 * request's hash; the same token read as the caller's VC 1.1 JWT presentation ({@link PresentationVerifier}: holder,
 * audience, times) and every credential in it ({@code CredentialVerifier}: trusted issuer, signature, subject the
 * caller, validity, not revoked by its status list). Only then is the {@code jti} recorded; a concurrent replay loses
 * there. Thread-safe.
 */
public class DcpSignedRequestVerifier implements SignedRequestVerifier {

    /** The longest lifetime of a signed request's token: it authorises one request, made at once. */
    public static final Duration MAXIMUM_LIFETIME = Duration.ofMinutes(5);

    private final OwnDid did;
    private final IdTokenVerifier tokens;
    private final PresentationVerifier presentations;
    private final JtiValidationStore seenTokens;

    /**
     * @param tokens a verifier whose maximum lifetime is at most {@link #MAXIMUM_LIFETIME}, on {@code seenTokens}
     */
    public DcpSignedRequestVerifier(OwnDid did, IdTokenVerifier tokens, PresentationVerifier presentations, JtiValidationStore seenTokens) {
        this.did = did;
        this.tokens = tokens;
        this.presentations = presentations;
        this.seenTokens = seenTokens;
    }

    @Override
    public Result<SignedRequest> verify(String authorization, String method, String target) {
        var verified = tokens.verify(authorization, did.id());
        if (verified.failed()) {
            return verified.mapFailure();
        }
        var claims = verified.getContent();
        var caller = claims.getIssuer();
        if (!(claims.getClaim(REQUEST_CLAIM) instanceof String hash) || !hash.equals(SignedRequestVerifier.requestHash(method, target))) {
            return Result.failure("token of '%s' was not made for this request ('%s' claim: the hash of '%s %s')"
                    .formatted(caller, REQUEST_CLAIM, method, target));
        }
        if (!(claims.getClaim("vp") instanceof Map<?, ?>)) {
            return Result.failure("token of '%s' presents no credentials ('vp' claim)".formatted(caller));
        }
        // the prefix is "Bearer " in any case, which the token verifier checked
        var credentials = presentations.verify(authorization.substring(7).trim(), caller, did.id());
        if (credentials.failed()) {
            return credentials.mapFailure();
        }
        var stored = seenTokens.storeEntry(new JtiValidationEntry(claims.getJWTID(), claims.getExpirationTime().getTime()));
        if (stored.failed()) {
            return Result.failure("token jti '%s' was already used (replay)".formatted(claims.getJWTID()));
        }
        return Result.success(new SignedRequest(caller, did.id(), credentials.getContent().stream().map(DcpSignedRequestVerifier::presented).toList()));
    }

    private static PresentedCredential presented(VerifiableCredential credential) {
        return new PresentedCredential(credential.issuer(), credential.types(), credential.subject());
    }
}
