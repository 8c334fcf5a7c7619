package io.kakehashi.ai.transfer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.jetty.JettyService;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * Test only: what the connector's own modules give a runtime and these tests' runtimes lack — HTTP listeners on
 * 127.0.0.1 only (kakehashi-connector-core) and a fresh key pair for the data plane's tokens in the in-memory vault
 * (the identity module makes it at first start), and a key the decision log signs its checkpoints with (the identity's).
 */
@Extension("test connector basics")
@Provides(ConnectorSigningKey.class)
public class TestConnectorExtension implements ServiceExtension {

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
            var signing = new ECKeyGenerator(Curve.P_256).keyID(context.getComponentId() + "#checkpoints").generate();
            context.registerService(ConnectorSigningKey.class, () -> signing);
        } catch (GeneralSecurityException | JOSEException e) {
            throw new EdcException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        var base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }
}
