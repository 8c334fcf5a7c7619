package io.kakehashi.identity.dcp;

import java.util.List;
import java.util.Optional;

/**
 * The Decentralized Claims Protocol 1.0 names Kakehashi uses: message types, the DCP context, the claim that carries
 * the access token inside a self-issued ID token, and the credential scopes ({@code org.eclipse.edc.vc.type:<type>:read},
 * the form EDC's DCP implementation uses).
 */
public final class Dcp {

    public static final String DCP_CONTEXT = "https://w3id.org/dspace-dcp/v1.0/dcp.jsonld";
    public static final String PRESENTATION_QUERY_MESSAGE = "PresentationQueryMessage";
    public static final String PRESENTATION_RESPONSE_MESSAGE = "PresentationResponseMessage";
    public static final String PRESENTATIONS_QUERY_PATH = "/presentations/query";
    /** The ID-token claim carrying the access token for the holder's credential service. */
    public static final String TOKEN_CLAIM = "token";
    /** The access token's claim with the granted scopes, space-separated. */
    public static final String SCOPE_CLAIM = "scope";
    /** The claim EDC reads the counter-party's participant id from. */
    public static final String PARTICIPANT_ID_CLAIM = "client_id";

    private static final String SCOPE_PREFIX = "org.eclipse.edc.vc.type:";

    private Dcp() {
    }

    /** The read scope of a credential type. */
    public static String scope(String credentialType) {
        return SCOPE_PREFIX + credentialType + ":read";
    }

    /** The scopes of the given credential types. */
    public static List<String> scopes(List<String> credentialTypes) {
        return credentialTypes.stream().map(Dcp::scope).toList();
    }

    /** The credential type a read scope names. */
    public static Optional<String> credentialType(String scope) {
        if (scope == null || !scope.startsWith(SCOPE_PREFIX)) {
            return Optional.empty();
        }
        var rest = scope.substring(SCOPE_PREFIX.length());
        var colon = rest.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        var operation = rest.substring(colon + 1);
        return "read".equals(operation) || "*".equals(operation) ? Optional.of(rest.substring(0, colon)) : Optional.empty();
    }
}
