package io.kakehashi.identity.did;

import com.nimbusds.jose.jwk.ECKey;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This connector's own DID: the identifier, its key ring, and the DID document it publishes — its keys as
 * {@code JsonWebKey2020} verification methods (usable for authentication and assertions) and a
 * {@code CredentialService} service entry pointing at the embedded holder. Thread-safe (the key ring is).
 */
public class OwnDid {

    /** The service type DCP peers look for in a DID document. */
    public static final String CREDENTIAL_SERVICE_TYPE = "CredentialService";
    /** The verification-method type of a JWK in a DID document. */
    public static final String JWK_METHOD_TYPE = "JsonWebKey2020";

    private final WebDid did;
    private final DidKeyRing keys;
    private final String credentialServiceUrl;

    public OwnDid(WebDid did, DidKeyRing keys, String credentialServiceUrl) {
        this.did = did;
        this.keys = keys;
        this.credentialServiceUrl = credentialServiceUrl;
    }

    /** The identifier, e.g. {@code did:web:127.0.0.1%3A8184:identity}. */
    public String id() {
        return did.did();
    }

    public WebDid webDid() {
        return did;
    }

    public DidKeyRing keys() {
        return keys;
    }

    /** The verification-method id of a key: the DID with the key id as fragment. The {@code kid} of signed tokens. */
    public String methodId(ECKey key) {
        return did.did() + "#" + key.getKeyID();
    }

    /**
     * A key of the ring that is still held at {@code now} (the active one, or a replaced one within its grace period),
     * with its private half, by its verification-method id; keyed by that id again. Empty for another DID's id.
     */
    public Optional<ECKey> heldKey(String methodId, Instant now) {
        var prefix = did.did() + "#";
        if (methodId == null || !methodId.startsWith(prefix)) {
            return Optional.empty();
        }
        return keys.find(methodId.substring(prefix.length()), now).map(key -> new ECKey.Builder(key).keyID(methodId).build());
    }

    /** The key new tokens are signed with. */
    public ECKey signingKey() {
        return keys.activeKey();
    }

    /** The base address of this connector's credential service (DCP appends {@code /presentations/query}). */
    public String credentialServiceUrl() {
        return credentialServiceUrl;
    }

    /** The DID document as JSON-ready maps, as published at {@code now}. */
    public Map<String, Object> document(Instant now) {
        return document(did.did(), keys.publishedKeys(now), credentialServiceUrl);
    }

    /**
     * A DID document for {@code did} with the given public keys and, when {@code credentialServiceUrl} is not null, a
     * credential service entry. Used for connectors and for dataspace authorities alike.
     */
    public static Map<String, Object> document(String did, List<ECKey> publicKeys, String credentialServiceUrl) {
        var methods = publicKeys.stream().map(key -> {
            var method = new LinkedHashMap<String, Object>();
            method.put("id", did + "#" + key.getKeyID());
            method.put("type", JWK_METHOD_TYPE);
            method.put("controller", did);
            method.put("publicKeyJwk", key.toPublicJWK().toJSONObject());
            return (Map<String, Object>) method;
        }).toList();
        var methodIds = methods.stream().map(m -> m.get("id")).toList();
        var document = new LinkedHashMap<String, Object>();
        document.put("@context", List.of("https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"));
        document.put("id", did);
        document.put("verificationMethod", methods);
        document.put("authentication", methodIds);
        document.put("assertionMethod", methodIds);
        if (credentialServiceUrl != null) {
            document.put("service", List.of(Map.of("id", did + "#credential-service", "type", CREDENTIAL_SERVICE_TYPE,
                    "serviceEndpoint", credentialServiceUrl)));
        }
        return document;
    }
}
