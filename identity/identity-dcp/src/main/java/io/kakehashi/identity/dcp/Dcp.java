package io.kakehashi.identity.dcp;

import java.util.List;
import java.util.Optional;

/**
 * The Decentralized Claims Protocol 1.0 names Kakehashi uses: message types, the DCP context, the claim that carries
 * the access token inside a self-issued ID token, and the credential scopes: {@code org.eclipse.dspace.dcp.vc.type:<type>:read}
 * (DCP 1.0's type alias, which the DCP TCK uses) is what this connector asks for and grants; EDC's older
 * {@code org.eclipse.edc.vc.type:<type>:read} is understood as the same scope.
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

    /** DCP 1.0's alias for a scope by credential type. */
    public static final String SCOPE_PREFIX = "org.eclipse.dspace.dcp.vc.type:";
    /** The alias EDC's DCP implementation uses; read as {@link #SCOPE_PREFIX}. */
    public static final String EDC_SCOPE_PREFIX = "org.eclipse.edc.vc.type:";

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

    /** The read scopes of the given credential types in the given alias ({@link #SCOPE_PREFIX} or {@link #EDC_SCOPE_PREFIX}). */
    public static List<String> scopes(List<String> credentialTypes, String alias) {
        return credentialTypes.stream().map(type -> alias + type + ":read").toList();
    }

    /** The credential type a read scope names. */
    public static Optional<String> credentialType(String scope) {
        if (scope == null) {
            return Optional.empty();
        }
        String rest;
        if (scope.startsWith(SCOPE_PREFIX)) {
            rest = scope.substring(SCOPE_PREFIX.length());
        } else if (scope.startsWith(EDC_SCOPE_PREFIX)) {
            rest = scope.substring(EDC_SCOPE_PREFIX.length());
        } else {
            return Optional.empty();
        }
        var colon = rest.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        var operation = rest.substring(colon + 1);
        return "read".equals(operation) || "*".equals(operation) ? Optional.of(rest.substring(0, colon)) : Optional.empty();
    }
}
