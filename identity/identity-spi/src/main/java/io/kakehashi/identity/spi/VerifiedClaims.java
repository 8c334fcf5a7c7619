package io.kakehashi.identity.spi;

import org.eclipse.edc.participant.spi.ParticipantAgent;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What this connector's identity has established about a peer, read as typed values. The identity puts these claims
 * into the claim token of a verified request; EDC carries them into the {@link ParticipantAgent} that every policy
 * evaluation gets. A claim is absent when the identity could not establish it — a policy that needs it must deny.
 * <p>
 * Immutable and thread-safe.
 */
public record VerifiedClaims(String participantId, Optional<String> countryOfRegistration, Optional<String> legalName,
                             Optional<RegistryIdentifier> registryId, Set<String> memberships,
                             List<Certification> certifications) {

    /** Claim key: ISO 3166-1 alpha-2 country of registration, upper case. */
    public static final String COUNTRY_OF_REGISTRATION = "kakehashi:countryOfRegistration";
    /** Claim key: registered legal name. */
    public static final String LEGAL_NAME = "kakehashi:legalName";
    /** Claim key: identifier in a public registry, {@code JCN:…} or {@code LEI:…} (see {@link RegistryIdentifier}). */
    public static final String REGISTRY_ID = "kakehashi:registryId";
    /** Claim key: the names of the dataspaces the peer is a verified member of, a list of strings. */
    public static final String MEMBERSHIPS = "kakehashi:memberships";
    /** Claim key: the peer's verified certifications, a list of maps in {@link Certification#toClaim()} form. */
    public static final String CERTIFICATIONS = "kakehashi:certifications";

    public VerifiedClaims {
        memberships = Set.copyOf(memberships);
        certifications = List.copyOf(certifications);
    }

    /** Claims that carry only the participant's identifier and nothing verified about it. */
    public static VerifiedClaims onlyParticipant(String participantId) {
        return new VerifiedClaims(participantId, Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), List.of());
    }

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
                text(claims, REGISTRY_ID).flatMap(id -> RegistryIdentifier.parse(id).asOptional()),
                list(claims, MEMBERSHIPS).stream().filter(String.class::isInstance).map(String.class::cast)
                        .filter(name -> !name.isBlank()).collect(Collectors.toSet()),
                list(claims, CERTIFICATIONS).stream().map(Certification::fromClaim).flatMap(Optional::stream).toList());
    }

    /** Whether the peer holds a certification of that name that is valid at the instant. */
    public boolean holdsValidCertification(String name, java.time.Instant instant) {
        return certifications.stream().anyMatch(c -> c.name().equals(name) && c.isValidAt(instant));
    }

    /**
     * The claim map form of these claims (without the participant id, which EDC carries separately), as the identity
     * puts it into a claim token. {@link #of(String, Map)} reads it back.
     */
    public Map<String, Object> toClaims() {
        var claims = new java.util.LinkedHashMap<String, Object>();
        countryOfRegistration.ifPresent(c -> claims.put(COUNTRY_OF_REGISTRATION, c));
        legalName.ifPresent(n -> claims.put(LEGAL_NAME, n));
        registryId.ifPresent(r -> claims.put(REGISTRY_ID, r.toString()));
        if (!memberships.isEmpty()) {
            claims.put(MEMBERSHIPS, memberships.stream().sorted().toList());
        }
        if (!certifications.isEmpty()) {
            claims.put(CERTIFICATIONS, certifications.stream().map(Certification::toClaim).toList());
        }
        return claims;
    }

    private static Collection<?> list(Map<String, Object> claims, String key) {
        return claims != null && claims.get(key) instanceof Collection<?> values ? values : List.of();
    }

    private static Optional<String> text(Map<String, Object> claims, String key) {
        return claims != null && claims.get(key) instanceof String value && !value.isBlank() ? Optional.of(value) : Optional.empty();
    }
}
