package io.kakehashi.identity.trust;

import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.identity.spi.RegistryIdentifier;

import java.util.Optional;

/**
 * A peer in the trust list: the public key its tokens must verify against, and what the operator who listed it
 * vouches for — its country of registration (ISO 3166-1 alpha-2), legal name and registry identifier (Japanese
 * corporate number or LEI) — until verifiable credentials establish them. Immutable and thread-safe.
 */
public record TrustedPeer(ECKey publicKey, Optional<String> countryOfRegistration, Optional<String> legalName,
                          Optional<RegistryIdentifier> registryId) {

    public static TrustedPeer withKeyOnly(ECKey publicKey) {
        return new TrustedPeer(publicKey, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
