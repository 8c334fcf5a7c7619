package io.kakehashi.identity.dcp.holder;

import io.kakehashi.identity.dcp.Dcp;
import io.kakehashi.identity.dcp.SelfIssuedTokens;
import org.eclipse.edc.spi.result.Result;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The embedded secure token service over HTTP, for this participant's own clients (another of its components, a
 * conformance test): with the client id and secret (OAuth 2.0 {@code client_credentials}, the form EDC's STS API
 * takes) a client gets this connector's self-issued ID token for an {@code audience} DID carrying an access token that
 * lets that audience read the requested credential scopes ({@code bearer_access_scope}, read scopes of credential types
 * only). It is the same token the connector puts on its own DSP requests. Thread-safe.
 */
public class SecureTokenService {

    /** Why a request was refused, as OAuth 2.0 error codes. */
    public enum Refusal { INVALID_REQUEST, UNSUPPORTED_GRANT_TYPE, INVALID_CLIENT, INVALID_SCOPE }

    /** A refusal with its reason. */
    public record Refused(Refusal kind, String reason) {
    }

    private final SelfIssuedTokens tokens;
    private final String clientId;
    private final byte[] clientSecret;

    public SecureTokenService(SelfIssuedTokens tokens, String clientId, String clientSecret) {
        this.tokens = tokens;
        this.clientId = clientId;
        this.clientSecret = clientSecret.getBytes(StandardCharsets.UTF_8);
    }

    /** The token response ({@code access_token}, {@code token_type}, {@code expires_in}) or why it was refused. */
    public Result<Map<String, Object>> token(String grantType, String clientId, String clientSecret, String audience, String scopes,
                                             Consumer<Refused> refusals) {
        if (!"client_credentials".equals(grantType)) {
            return refuse(refusals, Refusal.UNSUPPORTED_GRANT_TYPE, "grant type '%s' is not client_credentials".formatted(grantType));
        }
        // compare the secret in constant time, and always, so the answer time tells nothing about the client id
        var secretMatches = clientSecret != null && MessageDigest.isEqual(this.clientSecret, clientSecret.getBytes(StandardCharsets.UTF_8));
        if (!this.clientId.equals(clientId) || !secretMatches) {
            return refuse(refusals, Refusal.INVALID_CLIENT, "unknown client or wrong secret (client id '%s')".formatted(clientId));
        }
        if (audience == null || !audience.startsWith("did:")) {
            return refuse(refusals, Refusal.INVALID_REQUEST, "audience '%s' is not a DID".formatted(audience));
        }
        var requested = scopes == null ? new String[0] : Arrays.stream(scopes.split(" ")).filter(s -> !s.isBlank()).toArray(String[]::new);
        if (requested.length == 0) {
            return refuse(refusals, Refusal.INVALID_SCOPE, "no bearer_access_scope");
        }
        var unknown = Arrays.stream(requested).filter(scope -> Dcp.credentialType(scope).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            return refuse(refusals, Refusal.INVALID_SCOPE, "%s are not read scopes of a credential type".formatted(unknown));
        }
        var idToken = tokens.accessToken(audience, Arrays.asList(requested))
                .compose(accessToken -> tokens.idToken(audience, accessToken));
        if (idToken.failed()) {
            return idToken.mapFailure();
        }
        var response = new LinkedHashMap<String, Object>();
        response.put("access_token", idToken.getContent());
        response.put("token_type", "Bearer");
        response.put("expires_in", tokens.lifetime().toSeconds());
        return Result.success(response);
    }

    private static Result<Map<String, Object>> refuse(Consumer<Refused> refusals, Refusal kind, String reason) {
        refusals.accept(new Refused(kind, reason));
        return Result.failure(reason);
    }
}
