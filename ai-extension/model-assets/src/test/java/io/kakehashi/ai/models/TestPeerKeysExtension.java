package io.kakehashi.ai.models;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.lineage.provenance.SignerKeys;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.jetty.JettyService;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test only: what the connector's identity and core modules give a runtime and the end-to-end test's runtimes lack —
 * HTTP on 127.0.0.1 only, the data plane's token keys in the vault, the connector's signing key, and, in place of DID
 * documents (the test's identity is EDC's mock, whose participants have no DIDs), the other runtimes' public keys
 * from a map all runtimes of this JVM share.
 */
@Extension("test peer keys")
@Provides({ ConnectorSigningKey.class, SignerKeys.class })
public class TestPeerKeysExtension implements ServiceExtension {

    private static final Map<String, ECKey> PUBLIC_KEYS = new ConcurrentHashMap<>();

    @Inject
    private Vault vault;
    @Inject
    private JettyService jettyService;

    @Override
    public void initialize(ServiceExtensionContext context) {
        jettyService.addConnectorConfigurationCallback(connector -> connector.setHost("127.0.0.1"));
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            var pair = generator.generateKeyPair();
            vault.storeSecret("dataplane-token-signer", pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            vault.storeSecret("dataplane-token-verifier", pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            var participant = context.getConfig().getString("edc.participant.id");
            var signing = new ECKeyGenerator(Curve.P_256).keyID(participant + "#key-1").generate();
            PUBLIC_KEYS.put(participant, signing.toPublicJWK());
            context.registerService(ConnectorSigningKey.class, () -> signing);
            context.registerService(SignerKeys.class, (SignerKeys) (id, keyId) -> {
                var key = PUBLIC_KEYS.get(id);
                return key != null && key.getKeyID().equals(keyId) ? Result.success(key) : Result.failure("no key '%s' of %s".formatted(keyId, id));
            });
        } catch (GeneralSecurityException | JOSEException e) {
            throw new EdcException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        var base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }
}
