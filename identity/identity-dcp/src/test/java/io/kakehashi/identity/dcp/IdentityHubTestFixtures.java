package io.kakehashi.identity.dcp;

import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.Jws;
import io.kakehashi.identity.did.OwnDid;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Presentations in the exact shapes EDC's IdentityHub 0.15.1 makes them (read from its source at tag v0.15.1,
 * {@code core/identity-hub-core/.../verifiablepresentation/generators/}): claims, their names and which ones are absent.
 */
final class IdentityHubTestFixtures {

    /** IdentityHub's {@code PresentationGeneratorConstants.CONTROLLER_ADDITIONAL_DATA}, added to VC 1.1 JWT presentations as a claim. */
    private static final String CONTROLLER = "controller";

    private IdentityHubTestFixtures() {
    }

    /**
     * {@code JwtEnvelopedPresentationGenerator}: an inner JWT {@code {@context: [v2], type: "VerifiablePresentation",
     * holder, verifiableCredential: [{@context, id: data:application/vc+jwt,…, type: EnvelopedVerifiableCredential}]}}
     * wrapped in an outer JWT {@code {id: data:application/vp+jwt,…, type: "EnvelopedVerifiablePresentation",
     * @context: [v2]}}, both signed with the holder's key, {@code kid} = {@code <did>#<key>}; no iss, aud, iat or exp.
     */
    static String envelopedPresentation(OwnDid signer, String holder, List<String> credentials) {
        var inner = new LinkedHashMap<String, Object>();
        inner.put("@context", List.of(Credentials.VC_CONTEXT));
        inner.put("type", "VerifiablePresentation");
        inner.put("holder", holder);
        inner.put("verifiableCredential", credentials.stream().map(jwt -> Map.of(
                "@context", Credentials.VC_CONTEXT,
                "id", "data:application/vc+jwt," + jwt,
                "type", "EnvelopedVerifiableCredential")).toList());
        var keyId = signer.methodId(signer.signingKey());
        var innerJwt = Jws.sign(inner, signer.signingKey(), keyId, "JWT").getContent();
        return envelope(signer, "data:application/vp+jwt," + innerJwt, Map.of());
    }

    /** The outer JWT of an enveloped presentation with {@code id} and any {@code extra} claims. */
    static String envelope(OwnDid signer, String id, Map<String, Object> extra) {
        var outer = new LinkedHashMap<String, Object>();
        outer.put("id", id);
        outer.put("type", "EnvelopedVerifiablePresentation");
        outer.put("@context", List.of(Credentials.VC_CONTEXT));
        outer.putAll(extra);
        return Jws.sign(outer, signer.signingKey(), signer.methodId(signer.signingKey()), "JWT").getContent();
    }

    /**
     * {@code JwtPresentationGenerator}: {@code iss} = the holder, {@code iat} = {@code nbf} = now, a {@code jti},
     * {@code exp} = now + 60 s, {@code aud} = the verifier (the issuer of its ID token), {@code controller}, and
     * {@code vp} = {@code {@context: [dcp, w3c v1, pex], type: "VerifiablePresentation", verifiableCredential: [jwt…]}}
     * — no {@code holder} in it.
     */
    static String vc11Presentation(OwnDid holder, String audience, List<String> credentials) {
        var now = Instant.now();
        var claims = new LinkedHashMap<String, Object>();
        claims.put("iss", holder.id());
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("vp", Map.of(
                "@context", List.of(Dcp.DCP_CONTEXT, "https://www.w3.org/2018/credentials/v1", "https://identity.foundation/presentation-exchange/submission/v1"),
                "type", "VerifiablePresentation",
                "verifiableCredential", credentials));
        claims.put("exp", now.plusSeconds(60).getEpochSecond());
        claims.put("aud", audience);
        claims.put(CONTROLLER, holder.id());
        return Jws.sign(claims, holder.signingKey(), holder.methodId(holder.signingKey()), "JWT").getContent();
    }

    /** IdentityHub's answer: a {@code PresentationResponseMessage} compacted with DCP 1.0's context. */
    static Map<String, Object> response(List<String> presentations) {
        return Map.of("@context", List.of(Dcp.DCP_CONTEXT), "type", Dcp.PRESENTATION_RESPONSE_MESSAGE, "presentation", presentations);
    }
}
