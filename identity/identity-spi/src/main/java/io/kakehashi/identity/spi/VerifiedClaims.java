package io.kakehashi.identity.spi;

import org.eclipse.edc.participant.spi.ParticipantAgent;

import java.util.Map;
import java.util.Optional;

/**
 * What this connector's identity has established about a peer, read as typed values. The identity puts these claims
 * into the claim token of a verified request; EDC carries them into the {@link ParticipantAgent} that every policy
 * evaluation gets. A claim is absent when the identity could not establish it — a policy that needs it must deny.
 * <p>
 * Immutable and thread-safe.
 */
public record VerifiedClaims(String participantId, Optional<String> countryOfRegistration, Optional<String> legalName) {

    /** Claim key: ISO 3166-1 alpha-2 country of registration, upper case. */
    public static final String COUNTRY_OF_REGISTRATION = "kakehashi:countryOfRegistration";
    /** Claim key: registered legal name. */
    public static final String LEGAL_NAME = "kakehashi:legalName";

    /**
     * The claims of the peer a policy is being evaluated for.
     */
    public static VerifiedClaims of(ParticipantAgent agent) {
        return of(agent.getIdentity(), agent.getClaims());
    }

    /**
     * Reads the claims from a claim map; a value of the wrong type counts as absent.
     */
    public static VerifiedClaims of(String participantId, Map<String, Object> claims) {
        return new VerifiedClaims(participantId, text(claims, COUNTRY_OF_REGISTRATION), text(claims, LEGAL_NAME));
    }

    private static Optional<String> text(Map<String, Object> claims, String key) {
        return claims != null && claims.get(key) instanceof String value && !value.isBlank() ? Optional.of(value) : Optional.empty();
    }
}
