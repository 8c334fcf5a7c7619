package io.kakehashi.lineage.provenance;

import com.nimbusds.jose.jwk.ECKey;
import org.eclipse.edc.spi.result.Result;

/**
 * Finds the public key a participant signed with. Implementations are thread-safe.
 */
@FunctionalInterface
public interface SignerKeys {

    /**
     * The public key {@code keyId} names, which must belong to {@code participantId}; a failure says why it cannot
     * be found (the participant's DID does not resolve, its document has no such key).
     */
    Result<ECKey> find(String participantId, String keyId);
}
