package io.kakehashi.policy.decisionlog.runtime;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import io.kakehashi.policy.decisionlog.SignedTreeHeads;
import org.eclipse.edc.iam.did.spi.resolution.DidResolverRegistry;

import java.text.ParseException;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a key a peer signed with against the peer's DID document, when its key id is a DID URL and the runtime has a
 * DID resolver (the DCP identity). Thread-safe when the resolver registry is.
 */
final class DidKeys {

    private final DidResolverRegistry resolvers;

    /**
     * @param resolvers the runtime's DID resolvers, or null when it has none
     */
    DidKeys(DidResolverRegistry resolvers) {
        this.resolvers = resolvers;
    }

    boolean canResolve(String kid) {
        return kid != null && kid.startsWith("did:") && resolvers != null;
    }

    /**
     * For a key id that is a DID URL, why the key is not that verification method of the DID's document; empty when it
     * is, or when the key id is not a DID URL or no resolver is there (then the key is trusted on first use).
     */
    @SuppressWarnings("unchecked")
    Optional<String> problem(String kid, ECKey key) {
        if (!canResolve(kid)) {
            return Optional.empty();
        }
        var did = kid.contains("#") ? kid.substring(0, kid.indexOf('#')) : kid;
        var document = resolvers.resolve(did);
        if (document.failed()) {
            return Optional.of("the DID '%s' cannot be resolved".formatted(did));
        }
        for (var method : document.getContent().getVerificationMethod()) {
            var id = method.getId();
            var matches = kid.equals(id) || (id != null && id.startsWith("#") && kid.equals(did + id));
            if (matches && method.getPublicKeyJwk() != null) {
                try {
                    var published = JWK.parse((Map<String, Object>) method.getPublicKeyJwk());
                    if (published instanceof ECKey ec && SignedTreeHeads.thumbprint(ec).equals(SignedTreeHeads.thumbprint(key))) {
                        return Optional.empty();
                    }
                } catch (ParseException e) {
                    return Optional.of("the DID document's key '%s' is not a JWK".formatted(kid));
                }
                return Optional.of("the key is not the DID document's key '%s'".formatted(kid));
            }
        }
        return Optional.of("the DID document of '%s' has no key '%s'".formatted(did, kid));
    }
}
