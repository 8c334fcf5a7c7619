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
public record VerifiedClaims(String participantId, Optional<String> countryOfRegistration, Optional<String> legalName,
                             Optional<RegistryIdentifier> registryId) {

    /** Claim key: ISO 3166-1 alpha-2 country of registration, upper case. */
    public static final String COUNTRY_OF_REGISTRATION = "kakehashi:countryOfRegistration";
    /** Claim key: registered legal name. */
    public static final String LEGAL_NAME = "kakehashi:legalName";
    /** Claim key: identifier in a public registry, {@code JCN:…} or {@code LEI:…} (see {@link RegistryIdentifier}). */
    public static final String REGISTRY_ID = "kakehashi:registryId";

    /**
     * The claims of the peer a policy is being evaluated for.
     */
    public static VerifiedClaims of(ParticipantAgent agent) {
        return of(agent.getIdentity(), agent.getClaims());
    }

    /**
     * Reads the claims from a claim map; a value of the wrong type, or a registry identifier that fails its check,
     * counts as absent.
     */
    public static VerifiedClaims of(String participantId, Map<String, Object> claims) {
        return new VerifiedClaims(participantId, text(claims, COUNTRY_OF_REGISTRATION), text(claims, LEGAL_NAME),
                text(claims, REGISTRY_ID).flatMap(id -> RegistryIdentifier.parse(id).asOptional()));
    }

    private static Optional<String> text(Map<String, Object> claims, String key) {
        return claims != null && claims.get(key) instanceof String value && !value.isBlank() ? Optional.of(value) : Optional.empty();
    }
}
