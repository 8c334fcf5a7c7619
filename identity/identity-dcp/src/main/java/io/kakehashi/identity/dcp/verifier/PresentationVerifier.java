package io.kakehashi.identity.dcp.verifier;

import io.kakehashi.identity.credentials.CredentialVerifier;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.Jws;
import io.kakehashi.identity.credentials.VerifiableCredential;
import io.kakehashi.identity.did.DidPublicKeys;
import io.kakehashi.identity.spi.TokenTimes;
import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Verifies a holder's JWT presentation — a VC 2.0 {@code vp+jwt} with enveloped credentials, or a VC 1.1 JWT
 * presentation (the presentation in its {@code vp} claim, credentials as JWT strings): signed by the holder's own DID
 * key, naming the holder as issuer (and {@code holder} where given), addressed to this connector, within its lifetime;
 * then every credential inside with the {@link CredentialVerifier}.
 * <p>
 * A VC 2.0 {@code EnvelopedVerifiablePresentation} (the form EDC's IdentityHub 0.15.1 answers with: a JWT whose
 * {@code id} is {@code data:application/vp+jwt,<inner>}) carries neither issuer, audience nor times on either JWT. It
 * is accepted when both the envelope and the inner presentation are signed by a key of the holder's DID, the inner
 * presentation names the holder as {@code holder}, every credential is about the holder, and whatever issuer, audience
 * and times either JWT does carry pass the same checks as above; a missing expiry is read as "valid when received",
 * since the presentation is only ever read from the holder's own credential service in answer to this connector's
 * fresh query (docs/decisions/0026). Each failure names its check. The cheap checks
 * ({@link #inspect}: its form, holder, audience, lifetime and a count of credentials no larger than
 * {@link PresentationLimits#maxCredentialsPerPresentation()}) come before any key is resolved or signature checked.
 * Thread-safe.
 */
public class PresentationVerifier {

    private static final String ENVELOPE_PREFIX = "data:application/vc+jwt,";
    private static final String VP_ENVELOPE_PREFIX = "data:application/vp+jwt,";
    /** The JOSE-secured VC 2.0 presentation of the W3C VC-JOSE-COSE recommendation, as IdentityHub makes it. */
    public static final String ENVELOPED_PRESENTATION = "EnvelopedVerifiablePresentation";
    private static final String VP_CLAIM = "vp";

    private final DidPublicKeys keys;
    private final CredentialVerifier credentials;
    /** A presentation's lifetime is bounded by the ID token that asked for it, which the same rule checked. */
    private final TokenTimes times;
    private final int maxCredentials;

    /** A verifier that takes as many credentials in one presentation as a query of DCP's three default types needs. */
    public PresentationVerifier(DidPublicKeys keys, CredentialVerifier credentials, Clock clock, Duration clockSkew) {
        this(keys, credentials, clock, clockSkew, PresentationLimits.forScopes(3).maxCredentialsPerPresentation());
    }

    public PresentationVerifier(DidPublicKeys keys, CredentialVerifier credentials, Clock clock, Duration clockSkew, int maxCredentials) {
        this.keys = keys;
        this.credentials = credentials;
        this.times = new TokenTimes(clock, clockSkew, null);
        this.maxCredentials = maxCredentials;
    }

    /**
     * A presentation that passed the cheap checks: its JWS, whether it is VC 1.1, the presentation and its credentials;
     * for an enveloped presentation also the inner JWS (null otherwise), whose signature is checked too.
     */
    public record Inspected(Jws.Parsed jws, boolean vc11, Map<String, Object> vp, Collection<?> credentials, Jws.Parsed inner) {

        public Inspected(Jws.Parsed jws, boolean vc11, Map<String, Object> vp, Collection<?> credentials) {
            this(jws, vc11, vp, credentials, null);
        }
    }

    /**
     * Until when the credentials of a verified presentation may be relied on without fetching and verifying them again
     * ({@link CredentialVerifier#reusableUntil}, the earliest of them).
     */
    public Instant reusableUntil(List<VerifiableCredential> verified) {
        return verified.stream().map(credentials::reusableUntil).min(Instant::compareTo).orElse(Instant.MAX);
    }

    public Result<List<VerifiableCredential>> verify(String jwt, String holderDid, String ownDid) {
        var inspected = inspect(jwt, holderDid, ownDid);
        if (inspected.failed()) {
            return inspected.mapFailure();
        }
        var presentation = inspected.getContent();
        var signed = verifySignature(presentation.jws(), holderDid, "presentation");
        if (signed.failed()) {
            return signed.mapFailure();
        }
        if (presentation.inner() != null) {
            var innerSigned = verifySignature(presentation.inner(), holderDid, "enveloped presentation");
            if (innerSigned.failed()) {
                return innerSigned.mapFailure();
            }
        }
        var verified = new ArrayList<VerifiableCredential>();
        for (var entry : presentation.credentials()) {
            var credential = credentials.verify(envelopedJwt(entry), holderDid);
            if (credential.failed()) {
                return credential.mapFailure();
            }
            verified.add(credential.getContent());
        }
        return Result.success(verified);
    }

    private Result<Void> verifySignature(Jws.Parsed jws, String holderDid, String what) {
        var key = keys.find(holderDid, jws.keyId());
        if (key.failed()) {
            return Result.failure(what + ": " + key.getFailureDetail());
        }
        if (!jws.verifies(key.getContent())) {
            return Result.failure("%s signature does not verify against key '%s' of '%s'".formatted(what, jws.keyId(), holderDid));
        }
        return Result.success();
    }

    /**
     * The checks that resolve no key and verify no signature: the JWT's form, the holder, the audience, the lifetime,
     * the presentation's form, and its credentials (each an enveloped JWT, no more than the limit).
     */
    public Result<Inspected> inspect(String jwt, String holderDid, String ownDid) {
        var parsed = Jws.parse(jwt, "presentation");
        if (parsed.failed()) {
            return parsed.mapFailure();
        }
        var payload = parsed.getContent().payload();
        if (ENVELOPED_PRESENTATION.equals(payload.get("type")) || payload.get("type") instanceof Collection<?> types && types.contains(ENVELOPED_PRESENTATION)) {
            return inspectEnveloped(parsed.getContent(), holderDid, ownDid);
        }
        // a VC 1.1 JWT presentation carries the presentation in its vp claim, the holder being the JWT's issuer
        var vc11 = payload.get(VP_CLAIM) instanceof Map<?, ?>;
        @SuppressWarnings("unchecked")
        var vp = vc11 ? (Map<String, Object>) payload.get(VP_CLAIM) : payload;
        var holder = vc11 && !vp.containsKey("holder") ? payload.get("iss") : vp.get("holder");
        if (!holderDid.equals(payload.get("iss")) || !holderDid.equals(holder)) {
            return Result.failure("presentation issuer/holder '%s' is not the caller '%s'".formatted(holder, holderDid));
        }
        var audience = payload.get("aud");
        if (!ownDid.equals(audience) && !entries(audience).contains(ownDid)) {
            return Result.failure("presentation audience %s does not name this connector".formatted(audience));
        }
        for (var claim : List.of("exp", "iat", "nbf")) {
            if (payload.get(claim) != null && epochSeconds(payload.get(claim)) == null) {
                return Result.failure("presentation %s is not a time in seconds since 1970".formatted(claim));
            }
        }
        var timed = times.check("presentation", epochSeconds(payload.get("iat")), epochSeconds(payload.get("exp")), epochSeconds(payload.get("nbf")));
        if (timed.failed()) {
            return timed.mapFailure();
        }
        if (!vc11 && (!(vp.get("@context") instanceof List<?> contexts) || contexts.isEmpty() || !Credentials.VC_CONTEXT.equals(contexts.get(0)))) {
            return Result.failure("presentation is neither VC Data Model 2.0 nor a VC 1.1 JWT presentation (vp claim)");
        }
        var entries = entries(vp.get("verifiableCredential"));
        if (entries.size() > maxCredentials) {
            return Result.failure("presentation holds %d credentials, more than the %d verified in one (%s)"
                    .formatted(entries.size(), maxCredentials, PresentationLimits.MAX_CREDENTIALS_PER_PRESENTATION));
        }
        if (entries.stream().anyMatch(entry -> envelopedJwt(entry) == null)) {
            return Result.failure("presentation holds a credential that is not an enveloped vc+jwt");
        }
        return Result.success(new Inspected(parsed.getContent(), vc11, vp, entries));
    }

    /**
     * An {@code EnvelopedVerifiablePresentation}: the envelope's {@code id} holds the inner {@code vp+jwt}, a VC 2.0
     * presentation that must name the holder; issuer, audience and times are checked on both JWTs where present.
     */
    private Result<Inspected> inspectEnveloped(Jws.Parsed envelope, String holderDid, String ownDid) {
        var outer = envelope.payload();
        if (!(outer.get("id") instanceof String id) || !id.startsWith(VP_ENVELOPE_PREFIX)) {
            return Result.failure("enveloped presentation does not carry a vp+jwt in its id (data:application/vp+jwt,…)");
        }
        var optional = optionalClaims("enveloped presentation", outer, holderDid, ownDid);
        if (optional.failed()) {
            return optional.mapFailure();
        }
        var parsedInner = Jws.parse(id.substring(VP_ENVELOPE_PREFIX.length()), "enveloped presentation");
        if (parsedInner.failed()) {
            return parsedInner.mapFailure();
        }
        var inner = parsedInner.getContent().payload();
        if (!holderDid.equals(inner.get("holder"))) {
            return Result.failure("enveloped presentation holder '%s' is not the caller '%s'".formatted(inner.get("holder"), holderDid));
        }
        var innerOptional = optionalClaims("enveloped presentation", inner, holderDid, ownDid);
        if (innerOptional.failed()) {
            return innerOptional.mapFailure();
        }
        if (!(inner.get("@context") instanceof List<?> contexts) || contexts.isEmpty() || !Credentials.VC_CONTEXT.equals(contexts.get(0))) {
            return Result.failure("enveloped presentation is not VC Data Model 2.0");
        }
        if (!entries(inner.get("type")).contains("VerifiablePresentation")) {
            return Result.failure("enveloped presentation is not of type VerifiablePresentation");
        }
        var entries = entries(inner.get("verifiableCredential"));
        if (entries.size() > maxCredentials) {
            return Result.failure("presentation holds %d credentials, more than the %d verified in one (%s)"
                    .formatted(entries.size(), maxCredentials, PresentationLimits.MAX_CREDENTIALS_PER_PRESENTATION));
        }
        if (entries.stream().anyMatch(entry -> !(entry instanceof Map<?, ?>) || envelopedJwt(entry) == null)) {
            return Result.failure("presentation holds a credential that is not an enveloped vc+jwt");
        }
        return Result.success(new Inspected(envelope, false, inner, entries, parsedInner.getContent()));
    }

    /**
     * The claims an enveloped presentation may leave out, checked where present: {@code iss} is the holder,
     * {@code aud} names this connector, the times are numbers and hold now; without {@code exp} it is valid now, the
     * moment it is read.
     */
    private Result<Void> optionalClaims(String what, Map<String, Object> payload, String holderDid, String ownDid) {
        if (payload.containsKey("iss") && !holderDid.equals(payload.get("iss"))) {
            return Result.failure("%s issuer '%s' is not the caller '%s'".formatted(what, payload.get("iss"), holderDid));
        }
        var audience = payload.get("aud");
        if (payload.containsKey("aud") && !ownDid.equals(audience) && !entries(audience).contains(ownDid)) {
            return Result.failure("%s audience %s does not name this connector".formatted(what, audience));
        }
        for (var claim : List.of("exp", "iat", "nbf")) {
            if (payload.get(claim) != null && epochSeconds(payload.get(claim)) == null) {
                return Result.failure("%s %s is not a time in seconds since 1970".formatted(what, claim));
            }
        }
        var expiry = payload.get("exp") != null ? epochSeconds(payload.get("exp")) : times.clock().instant();
        return times.check(what, epochSeconds(payload.get("iat")), expiry, epochSeconds(payload.get("nbf")));
    }

    /** A NumericDate claim as an instant; null when it is not a finite number of a plausible size. */
    private static Instant epochSeconds(Object value) {
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
            return null;
        }
        // some 31 million years either way: no real time lies beyond, and the bound stays clear of Instant's own limits
        // (which a double near them could cross when converted)
        if (Math.abs(number.doubleValue()) > 1e15) {
            return null;
        }
        return Instant.ofEpochSecond(number.longValue());
    }

    private static Collection<?> entries(Object value) {
        if (value instanceof Collection<?> list) {
            return list;
        }
        return value == null ? List.of() : List.of(value);
    }

    private static String envelopedJwt(Object entry) {
        if (entry instanceof String text) {
            return text;
        }
        if (entry instanceof Map<?, ?> envelope) {
            var id = envelope.get("id");
            if (id instanceof String text && text.startsWith(ENVELOPE_PREFIX)) {
                return text.substring(ENVELOPE_PREFIX.length());
            }
        }
        return null;
    }
}
