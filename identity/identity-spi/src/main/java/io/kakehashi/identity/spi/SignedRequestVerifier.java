package io.kakehashi.identity.spi;

import org.eclipse.edc.spi.result.Result;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Verifies a signed request: an HTTP request whose {@code Authorization: Bearer} token is a self-issued JWT of the
 * caller's DID key that is also the caller's presentation of its credentials (a VC 1.1 JWT presentation, its
 * {@code vp} claim) and that names the request it was made for ({@value #REQUEST_CLAIM} claim, {@link #requestHash}).
 * What the credentials allow is the caller's business; an implementation checks who signed, for which connector and
 * request, when, that the token is used once, and every credential as the connector's identity checks a peer's.
 * Implementations are thread-safe.
 */
public interface SignedRequestVerifier {

    /** The claim that binds a token to one request: {@link #requestHash} of its method and target. */
    String REQUEST_CLAIM = "req";

    /**
     * Verifies the token of {@code authorization} for the request {@code method target} and, once it is accepted,
     * records its {@code jti} so that it is not accepted again. A failure says which check failed and never contains
     * the token.
     *
     * @param authorization the {@code Authorization} header's value
     * @param method        the request's HTTP method
     * @param target        the request's path with its query ({@code ?…}) when it has one, both as sent (percent-encoded)
     */
    Result<SignedRequest> verify(String authorization, String method, String target);

    /**
     * The value of the {@value #REQUEST_CLAIM} claim for a request: the SHA-256 of {@code <METHOD> <target>} (UTF-8,
     * method upper case), base64url without padding.
     */
    static String requestHash(String method, String target) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest((method.toUpperCase(Locale.ROOT) + " " + target).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            // every Java platform must provide SHA-256 (java.security.MessageDigest's contract)
            throw new IllegalStateException(e);
        }
    }

    /**
     * An accepted signed request.
     *
     * @param holder      the caller's DID (the token's issuer and subject, the presentation's holder)
     * @param verifier    this connector's DID, which the token named as its audience
     * @param credentials the verified credentials the caller presented, each about the caller
     */
    record SignedRequest(String holder, String verifier, List<PresentedCredential> credentials) {
        public SignedRequest {
            credentials = List.copyOf(credentials);
        }
    }

    /**
     * A verified credential: its issuer (a trusted one), its types and its subject's properties.
     */
    record PresentedCredential(String issuer, List<String> types, Map<String, Object> subject) {
        public PresentedCredential {
            types = List.copyOf(types);
            // a JSON subject may hold nulls, which Map.copyOf refuses
            subject = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(subject));
        }
    }
}
