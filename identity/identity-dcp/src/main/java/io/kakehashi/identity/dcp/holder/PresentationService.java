package io.kakehashi.identity.dcp.holder;

import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.Jws;
import io.kakehashi.identity.credentials.VerifiableCredential.Format;
import io.kakehashi.identity.dcp.Dcp;
import io.kakehashi.identity.dcp.IdTokenVerifier;
import io.kakehashi.identity.dcp.SelfIssuedTokens;
import io.kakehashi.identity.did.OwnDid;
import org.eclipse.edc.jwt.validation.jti.JtiValidationEntry;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The embedded credential service's logic for a DCP presentation query. The caller (a verifier) authenticates with its
 * own self-issued ID token (a Bearer token) addressed to this connector, carrying in {@code token} an access token
 * this connector issued to exactly that verifier. The query must name at least one scope and none beyond those the
 * access token grants (scopes compare by credential type, in DCP's or EDC's alias); a presentation definition is not
 * supported. The answer holds the held credentials of the requested types that are valid now, in one presentation per
 * format, each signed by this connector and addressed to the verifier: VC 1.1 JWT credentials in a VC 1.1 JWT
 * presentation ({@code vp} claim), VC 2.0 ones enveloped in a {@code vp+jwt}. A verifier that asks in EDC's scope
 * alias ({@code org.eclipse.edc.vc.type}) is an EDC: it gets the VC 1.1 credential of a type where one is held
 * (EDC 0.15.1 verifies no other), and VC 2.0 ones in the {@code EnvelopedVerifiablePresentation} form of EDC's
 * IdentityHub (docs/decisions/0026). Thread-safe.
 */
public class PresentationService {

    /** Why a query was refused: unauthorized (401), asking beyond what the access token grants (403), or malformed (400). */
    public enum Refusal { UNAUTHORIZED, FORBIDDEN, BAD_REQUEST }

    /** A refusal with its reason, for the log only — the caller learns nothing but the status. */
    public record Refused(Refusal kind, String reason) {
    }

    private static final String VC11_CONTEXT = "https://www.w3.org/2018/credentials/v1";

    private final OwnDid did;
    private final CredentialStore store;
    private final SelfIssuedTokens tokens;
    private final IdTokenVerifier idTokens;
    private final JtiValidationStore seenTokens;
    private final Clock clock;

    public PresentationService(OwnDid did, CredentialStore store, SelfIssuedTokens tokens, IdTokenVerifier idTokens,
                               JtiValidationStore seenTokens, Clock clock) {
        this.did = did;
        this.store = store;
        this.tokens = tokens;
        this.idTokens = idTokens;
        this.seenTokens = seenTokens;
        this.clock = clock;
    }

    /**
     * Answers a query: the {@code PresentationResponseMessage} as JSON-ready maps, or why it was refused.
     */
    public Result<Map<String, Object>> query(String authorization, Map<String, Object> message, Consumer<Refused> refusals) {
        var idToken = idTokens.verify(authorization, did.id());
        if (idToken.failed()) {
            refusals.accept(new Refused(Refusal.UNAUTHORIZED, "ID token: " + idToken.getFailureDetail()));
            return idToken.mapFailure();
        }
        var verifier = idToken.getContent().getIssuer();
        var accessToken = idToken.getContent().getClaim(Dcp.TOKEN_CLAIM) instanceof String text ? text : null;
        if (accessToken == null) {
            refusals.accept(new Refused(Refusal.UNAUTHORIZED, "ID token of '%s' carries no access token".formatted(verifier)));
            return Result.failure("no access token");
        }
        var access = tokens.verifyOwnAccessToken(accessToken);
        if (access.failed()) {
            refusals.accept(new Refused(Refusal.UNAUTHORIZED, "access token from '%s': %s".formatted(verifier, access.getFailureDetail())));
            return access.mapFailure();
        }
        if (!verifier.equals(access.getContent().getSubject())) {
            refusals.accept(new Refused(Refusal.UNAUTHORIZED, "access token was granted to '%s', not to '%s'".formatted(access.getContent().getSubject(), verifier)));
            return Result.failure("access token of another verifier");
        }
        if (message == null || !Dcp.PRESENTATION_QUERY_MESSAGE.equals(message.get("type")) && !Dcp.PRESENTATION_QUERY_MESSAGE.equals(message.get("@type"))) {
            refusals.accept(new Refused(Refusal.BAD_REQUEST, "the body from '%s' is not a PresentationQueryMessage".formatted(verifier)));
            return Result.failure("not a PresentationQueryMessage");
        }
        if (message.containsKey("presentationDefinition")) {
            refusals.accept(new Refused(Refusal.BAD_REQUEST, "'%s' sent a presentationDefinition; only scopes are supported".formatted(verifier)));
            return Result.failure("presentationDefinition not supported");
        }
        var requested = requestedScopes(message.get("scope"));
        if (requested.isEmpty()) {
            refusals.accept(new Refused(Refusal.BAD_REQUEST, "the query from '%s' names no scope".formatted(verifier)));
            return Result.failure("no scope");
        }
        var unknown = requested.stream().filter(scope -> Dcp.credentialType(scope).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            refusals.accept(new Refused(Refusal.BAD_REQUEST, "'%s' asked for %s, which are not read scopes of a credential type".formatted(verifier, unknown)));
            return Result.failure("unknown scope");
        }
        var granted = access.getContent().getClaim(Dcp.SCOPE_CLAIM) instanceof String text
                ? Arrays.stream(text.split(" ")).map(Dcp::credentialType).flatMap(Optional::stream).collect(Collectors.toSet())
                : Set.<String>of();
        var types = requested.stream().map(Dcp::credentialType).flatMap(Optional::stream).collect(Collectors.toSet());
        var beyond = types.stream().filter(type -> !granted.contains(type)).sorted().toList();
        if (!beyond.isEmpty()) {
            refusals.accept(new Refused(Refusal.FORBIDDEN, "'%s' asked for %s, which its access token does not grant".formatted(verifier, beyond)));
            return Result.failure("scope not granted");
        }
        // an expired or not yet valid credential would only make the verifier refuse the whole presentation
        var now = clock.instant();
        var credentials = store.all().stream()
                .filter(c -> c.types().stream().anyMatch(types::contains))
                .filter(c -> c.isValidAt(now))
                .toList();
        var edcVerifier = requested.stream().anyMatch(scope -> scope.startsWith(Dcp.EDC_SCOPE_PREFIX));
        var vc11 = credentials.stream().filter(c -> c.format() == Format.VC11_JWT).toList();
        var vc11Types = vc11.stream().flatMap(c -> c.types().stream()).filter(types::contains).collect(Collectors.toSet());
        // EDC 0.15.1 verifies VC 1.1 JWT credentials only: where one of a type is held, its VC 2.0 twin would make EDC
        // refuse the whole answer (docs/decisions/0026)
        var vc2 = credentials.stream().filter(c -> c.format() == Format.VC2_JWT)
                .filter(c -> !edcVerifier || c.types().stream().filter(types::contains).anyMatch(type -> !vc11Types.contains(type)))
                .map(HeldCredential::jwt).toList();
        // one presentation per format: VC 1.1 JWT credentials in a VC 1.1 JWT presentation, VC 2.0 ones in a vp+jwt,
        // or for a verifier that asks in EDC's alias in the EnvelopedVerifiablePresentation EDC's IdentityHub makes
        var presentations = new ArrayList<String>();
        if (!vc11.isEmpty()) {
            var presentation = vc11Presentation(verifier, vc11.stream().map(HeldCredential::jwt).toList());
            if (presentation.failed()) {
                return presentation.mapFailure();
            }
            presentations.add(presentation.getContent());
        }
        if (!vc2.isEmpty() || vc11.isEmpty()) {
            var presentation = edcVerifier ? envelopedPresentation(verifier, vc2) : presentation(verifier, vc2);
            if (presentation.failed()) {
                return presentation.mapFailure();
            }
            presentations.add(presentation.getContent());
        }
        // the verifier's ID token is spent only once it has been answered
        seenTokens.storeEntry(new JtiValidationEntry(idToken.getContent().getJWTID(), idToken.getContent().getExpirationTime().getTime()));
        var response = new LinkedHashMap<String, Object>();
        response.put("@context", List.of(Dcp.DCP_CONTEXT));
        response.put("type", Dcp.PRESENTATION_RESPONSE_MESSAGE);
        response.put("presentation", presentations);
        return Result.success(response);
    }

    private Result<String> presentation(String verifier, List<String> credentials) {
        var now = clock.instant();
        var vp = new LinkedHashMap<String, Object>();
        vp.put("@context", List.of(Credentials.VC_CONTEXT));
        vp.put("type", List.of("VerifiablePresentation"));
        vp.put("holder", did.id());
        vp.put("verifiableCredential", credentials.stream().map(jwt -> Map.of(
                "@context", Credentials.VC_CONTEXT,
                "id", "data:application/vc+jwt," + jwt,
                "type", "EnvelopedVerifiableCredential")).toList());
        vp.put("iss", did.id());
        vp.put("aud", verifier);
        vp.put("iat", now.getEpochSecond());
        vp.put("exp", now.plus(tokens.lifetime()).getEpochSecond());
        vp.put("jti", UUID.randomUUID().toString());
        return Jws.sign(vp, did.signingKey(), did.methodId(did.signingKey()), Credentials.VP_JWT_TYPE);
    }

    /**
     * A VC 2.0 presentation in the enveloped form of EDC's IdentityHub: a JWT of type
     * {@code EnvelopedVerifiablePresentation} whose {@code id} is the data URL of the signed presentation. Unlike
     * IdentityHub's, both JWTs also name this connector as issuer and the verifier as audience, and expire.
     */
    private Result<String> envelopedPresentation(String verifier, List<String> credentials) {
        var inner = presentation(verifier, credentials);
        if (inner.failed()) {
            return inner;
        }
        var now = clock.instant();
        var envelope = new LinkedHashMap<String, Object>();
        envelope.put("@context", List.of(Credentials.VC_CONTEXT));
        envelope.put("type", "EnvelopedVerifiablePresentation");
        envelope.put("id", "data:application/vp+jwt," + inner.getContent());
        envelope.put("iss", did.id());
        envelope.put("aud", verifier);
        envelope.put("iat", now.getEpochSecond());
        envelope.put("exp", now.plus(tokens.lifetime()).getEpochSecond());
        return Jws.sign(envelope, did.signingKey(), did.methodId(did.signingKey()), "JWT");
    }

    private Result<String> vc11Presentation(String verifier, List<String> credentials) {
        var now = clock.instant();
        var vp = new LinkedHashMap<String, Object>();
        vp.put("@context", List.of(VC11_CONTEXT));
        vp.put("type", List.of("VerifiablePresentation"));
        vp.put("holder", did.id());
        vp.put("verifiableCredential", credentials);
        var claims = new LinkedHashMap<String, Object>();
        claims.put("iss", did.id());
        claims.put("sub", did.id());
        claims.put("aud", verifier);
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.plus(tokens.lifetime()).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("vp", vp);
        return Jws.sign(claims, did.signingKey(), did.methodId(did.signingKey()), "JWT");
    }

    private static List<String> requestedScopes(Object scope) {
        if (scope instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}
