package io.kakehashi.lineage.provenance;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import org.eclipse.edc.iam.did.spi.resolution.DidResolverRegistry;
import org.eclipse.edc.spi.result.Result;

import java.text.ParseException;
import java.util.Map;

/**
 * A participant's keys from its DID document, resolved through EDC's resolver registry (and its cache): the key id
 * must be a verification method of the participant's own DID ({@code did:web:…#key}). Thread-safe.
 */
public final class DidSignerKeys implements SignerKeys {

    private final DidResolverRegistry resolvers;

    public DidSignerKeys(DidResolverRegistry resolvers) {
        this.resolvers = resolvers;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Result<ECKey> find(String participantId, String keyId) {
        if (participantId == null || !participantId.startsWith("did:")) {
            return Result.failure("the signer %s is not a DID, so its key cannot be found".formatted(participantId));
        }
        if (!keyId.startsWith(participantId + "#")) {
            return Result.failure("it is signed with key '%s', which is not a key of %s".formatted(keyId, participantId));
        }
        var document = resolvers.resolve(participantId);
        if (document.failed()) {
            return Result.failure("the DID %s cannot be resolved".formatted(participantId));
        }
        for (var method : document.getContent().getVerificationMethod()) {
            var id = method.getId();
            var matches = keyId.equals(id) || (id != null && id.startsWith("#") && keyId.equals(participantId + id));
            if (matches && method.getPublicKeyJwk() != null) {
                try {
                    if (JWK.parse((Map<String, Object>) method.getPublicKeyJwk()) instanceof ECKey ec) {
                        return Result.success(ec);
                    }
                } catch (ParseException e) {
                    return Result.failure("the DID document's key '%s' is not a JWK".formatted(keyId));
                }
                return Result.failure("the DID document's key '%s' is not an EC key".formatted(keyId));
            }
        }
        return Result.failure("the DID document of %s has no key '%s'".formatted(participantId, keyId));
    }
}
