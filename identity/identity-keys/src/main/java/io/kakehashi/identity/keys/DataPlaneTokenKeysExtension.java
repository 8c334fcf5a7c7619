package io.kakehashi.identity.keys;

import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/**
 * Makes sure the key pair the data plane signs its access tokens with exists in the vault: a private key under the
 * signer alias and its public half under the verifier alias, made at first start. No key is ever configured inline.
 */
@Extension(DataPlaneTokenKeysExtension.NAME)
public class DataPlaneTokenKeysExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi data-plane token keys";

    @Setting(key = "edc.transfer.proxy.token.signer.privatekey.alias", description = "Vault alias of the data plane's token signing key")
    private String signerAlias;

    @Setting(key = "edc.transfer.proxy.token.verifier.publickey.alias", description = "Vault alias of the data plane's token verification key")
    private String verifierAlias;

    @Inject
    private Vault vault;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var keys = new VaultKeyPairs(vault);
        keys.ensure(signerAlias)
                .compose(key -> keys.ensurePublic(verifierAlias, key))
                .orElseThrow(failure -> new EdcException("Data-plane token keys ('%s', '%s'): %s".formatted(signerAlias, verifierAlias, failure.getFailureDetail())));
    }
}
