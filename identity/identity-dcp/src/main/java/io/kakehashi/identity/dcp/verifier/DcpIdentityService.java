package io.kakehashi.identity.dcp.verifier;

import io.kakehashi.identity.credentials.ClaimsFromCredentials;
import io.kakehashi.identity.credentials.VerifiableCredential;
import io.kakehashi.identity.dcp.AccessTokens;
import io.kakehashi.identity.dcp.Dcp;
import io.kakehashi.identity.dcp.IdTokenVerifier;
import io.kakehashi.identity.dcp.SelfIssuedTokens;
import io.kakehashi.identity.did.DidPublicKeys;
import io.kakehashi.identity.did.OwnDid;
import io.kakehashi.identity.spi.VerifiedClaims;
import org.eclipse.edc.jwt.validation.jti.JtiValidationEntry;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.spi.iam.ClaimToken;
import org.eclipse.edc.spi.iam.IdentityService;
import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.iam.VerificationContext;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;

import java.util.ArrayList;
import java.util.List;

/**
 * Identity by the Decentralized Claims Protocol.
 * <p>
 * Outgoing: every DSP request carries a self-issued ID token for the counter-party's DID, with an access token that
 * lets that counter-party read this connector's credentials of the configured scopes.
 * <p>
 * Incoming: the caller's ID token is checked ({@link IdTokenVerifier}); the caller's credential service (from its DID
 * document) is asked for a presentation with the access token inside; the presentation and every credential in it are
 * verified (signatures, trusted issuers, validity dates, audience, revocation); the required credential types must be
 * there. What one request can make it read and verify is bounded ({@link PresentationLimits}): the answer's size and
 * number of presentations, the credentials in each, all checked before any signature. The claims of an accepted presentation are kept in the {@link PresentationCache} per (caller, scopes, access
 * token), so a burst of requests from one peer that reuses its access token ({@link AccessTokens}) costs one
 * presentation query; the ID token is verified in full on every request.
 * Only then is the token's {@code jti} recorded, and the claim token carries the caller's DID as participant id
 * and its {@code VerifiedClaims} for policies. Each refusal is one warning naming the failed check (never a token) and
 * a failed result, which the protocol layer answers with 401.
 * <p>
 * Thread-safe.
 */
public class DcpIdentityService implements IdentityService {

    /** Peers whose scope alias is remembered; beyond, the least recently seen starts again from DCP 1.0's alias. */
    static final int MAX_REMEMBERED_ALIASES = 10_000;

    private final OwnDid did;
    private final SelfIssuedTokens tokens;
    private final IdTokenVerifier idTokens;
    private final DidPublicKeys keys;
    private final PresentationClient presentations;
    private final PresentationVerifier presentationVerifier;
    private final JtiValidationStore seenTokens;
    private final List<String> scopes;
    private final List<String> requiredTypes;
    private final PresentationCache presentationCache;
    private final AccessTokens accessTokens;
    private final ScopeAliases aliases;
    private final Monitor monitor;

    /** A service without a presentation cache: every request queries the caller's credential service. */
    public DcpIdentityService(OwnDid did, SelfIssuedTokens tokens, IdTokenVerifier idTokens, DidPublicKeys keys,
                              PresentationClient presentations, PresentationVerifier presentationVerifier,
                              JtiValidationStore seenTokens, List<String> credentialTypes, List<String> requiredTypes, Monitor monitor) {
        this(did, tokens, idTokens, keys, presentations, presentationVerifier, seenTokens, credentialTypes, requiredTypes, PresentationCache.disabled(), monitor);
    }

    /** A service whose outgoing requests carry a fresh access token each. */
    public DcpIdentityService(OwnDid did, SelfIssuedTokens tokens, IdTokenVerifier idTokens, DidPublicKeys keys,
                              PresentationClient presentations, PresentationVerifier presentationVerifier,
                              JtiValidationStore seenTokens, List<String> credentialTypes, List<String> requiredTypes,
                              PresentationCache presentationCache, Monitor monitor) {
        this(did, tokens, AccessTokens.fresh(tokens), idTokens, keys, presentations, presentationVerifier, seenTokens, credentialTypes,
                requiredTypes, presentationCache, monitor);
    }

    public DcpIdentityService(OwnDid did, SelfIssuedTokens tokens, AccessTokens accessTokens, IdTokenVerifier idTokens, DidPublicKeys keys,
                              PresentationClient presentations, PresentationVerifier presentationVerifier,
                              JtiValidationStore seenTokens, List<String> credentialTypes, List<String> requiredTypes,
                              PresentationCache presentationCache, Monitor monitor) {
        this.presentationCache = presentationCache;
        this.accessTokens = accessTokens;
        this.did = did;
        this.tokens = tokens;
        this.idTokens = idTokens;
        this.keys = keys;
        this.presentations = presentations;
        this.presentationVerifier = presentationVerifier;
        this.seenTokens = seenTokens;
        this.scopes = Dcp.scopes(credentialTypes);
        this.aliases = new ScopeAliases(credentialTypes, MAX_REMEMBERED_ALIASES);
        this.requiredTypes = List.copyOf(requiredTypes);
        this.monitor = monitor;
    }

    @Override
    public Result<TokenRepresentation> obtainClientCredentials(String participantContextId, TokenParameters parameters) {
        var audience = parameters.getStringClaim("aud");
        if (audience == null || !audience.startsWith("did:")) {
            return Result.failure("the counter-party id '%s' is not a DID to address the token to".formatted(audience));
        }
        return accessTokens.accessToken(audience, scopes)
                .compose(accessToken -> tokens.idToken(audience, accessToken))
                .map(idToken -> TokenRepresentation.Builder.newInstance()
                        .token("Bearer " + idToken)
                        .expiresIn(tokens.lifetime().toSeconds())
                        .build());
    }

    @Override
    public Result<ClaimToken> verifyJwtToken(String participantContextId, TokenRepresentation tokenRepresentation, VerificationContext context) {
        Result<ClaimToken> result;
        try {
            result = verify(tokenRepresentation.getToken());
        } catch (CredentialServiceUnavailable e) {
            // not a refusal: the caller's credential service could not be asked just now, and EDC's dispatcher
            // sends the request again on a 503 (decision 0020), where a 401 would end the caller's process
            monitor.warning("Did not verify a DSP request token yet: " + e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            // a refusal, never a 500: an unexpected failure in a check still denies the request
            monitor.severe("Identity: verification failed unexpectedly", e);
            result = Result.failure("verification failed unexpectedly: " + e.getClass().getSimpleName());
        }
        if (result.failed()) {
            monitor.warning("Refused a DSP request token: " + result.getFailureDetail());
        }
        return result;
    }

    /**
     * Asks the caller's credential service for a presentation, verifies it and every credential in it, checks the
     * required types, and keeps the claims in the presentation cache for as long as they may be relied on.
     */
    private Result<VerifiedClaims> presentedClaims(String caller, String accessToken) {
        var credentialService = keys.serviceEndpoint(caller, OwnDid.CREDENTIAL_SERVICE_TYPE);
        if (credentialService.failed()) {
            return credentialService.mapFailure();
        }
        var alias = aliases.alias(caller);
        var answer = ask(credentialService.getContent(), caller, accessToken, alias);
        if (answer.failed()) {
            return answer.mapFailure();
        }
        // every presentation passes the cheap checks before any key is resolved or signature checked
        for (var presentation : answer.getContent()) {
            var inspected = presentationVerifier.inspect(presentation, caller, did.id());
            if (inspected.failed()) {
                return inspected.mapFailure();
            }
        }
        var credentials = new ArrayList<VerifiableCredential>();
        for (var presentation : answer.getContent()) {
            var verified = presentationVerifier.verify(presentation, caller, did.id());
            if (verified.failed()) {
                return verified.mapFailure();
            }
            credentials.addAll(verified.getContent());
        }
        for (var required : requiredTypes) {
            if (credentials.stream().noneMatch(c -> c.hasType(required))) {
                return Result.failure("'%s' presented no valid %s".formatted(caller, required));
            }
        }
        var verifiedClaims = ClaimsFromCredentials.claims(caller, credentials);
        if (verifiedClaims.succeeded() && presentationCache.enabled()) {
            presentationCache.put(caller, scopes, accessToken, verifiedClaims.getContent(), presentationVerifier.reusableUntil(credentials));
        }
        return verifiedClaims;
    }

    /**
     * Queries the caller's credential service in the alias remembered for it; a 403 is asked once more in the other
     * alias, which is remembered when answered (IdentityHub 0.15.1 refuses DCP 1.0's alias, docs/decisions/0026).
     * Each query carries a fresh ID token of its own.
     */
    private Result<List<String>> ask(String credentialService, String caller, String accessToken, String alias) {
        var queryToken = tokens.idToken(caller, accessToken);
        if (queryToken.failed()) {
            return queryToken.mapFailure();
        }
        var answer = presentations.ask(credentialService, queryToken.getContent(), aliases.scopes(alias));
        if (answer.unavailable()) {
            throw new CredentialServiceUnavailable(answer.presentations().getFailureDetail());
        }
        if (!answer.forbidden()) {
            return answer.presentations();
        }
        var other = ScopeAliases.other(alias);
        var retryToken = tokens.idToken(caller, accessToken);
        if (retryToken.failed()) {
            return retryToken.mapFailure();
        }
        var retried = presentations.ask(credentialService, retryToken.getContent(), aliases.scopes(other)).presentations();
        if (retried.failed()) {
            // the first refusal is the one to report: the peer refused the alias this connector asked in first
            return Result.failure(answer.presentations().getFailureDetail() + "; asked again with scope alias '%s': %s"
                    .formatted(other.substring(0, other.length() - 1), retried.getFailureDetail()));
        }
        aliases.accepted(caller, other);
        return retried;
    }

    private Result<ClaimToken> verify(String token) {
        var idToken = idTokens.verify(token, did.id());
        if (idToken.failed()) {
            return idToken.mapFailure();
        }
        var claims = idToken.getContent();
        var caller = claims.getIssuer();
        if (!(claims.getClaim(Dcp.TOKEN_CLAIM) instanceof String accessToken) || accessToken.isBlank()) {
            return Result.failure("token of '%s' carries no access token ('token' claim)".formatted(caller));
        }
        var cached = presentationCache.get(caller, scopes, accessToken);
        var verifiedClaims = cached.isPresent() ? Result.success(cached.get()) : presentedClaims(caller, accessToken);
        if (verifiedClaims.failed()) {
            return verifiedClaims.mapFailure();
        }
        // recorded last, so a refused request leaves nothing behind; a concurrent replay loses here
        var stored = seenTokens.storeEntry(new JtiValidationEntry(claims.getJWTID(), claims.getExpirationTime().getTime()));
        if (stored.failed()) {
            return Result.failure("token jti '%s' was already used (replay)".formatted(claims.getJWTID()));
        }
        var claimToken = ClaimToken.Builder.newInstance()
                .claim(Dcp.PARTICIPANT_ID_CLAIM, caller)
                .claim("iss", caller)
                .claim("sub", caller)
                .claim("aud", claims.getAudience())
                .claim("jti", claims.getJWTID());
        verifiedClaims.getContent().toClaims().forEach(claimToken::claim);
        return Result.success(claimToken.build());
    }
}
