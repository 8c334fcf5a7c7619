package io.kakehashi.identity.dcp.dataplane;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.identity.did.DidKeyRing;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.text.ParseException;

/**
 * Makes sure the key pair the data plane signs its access tokens with exists in the vault, so a connector with the
 * DCP identity needs no other identity module: an EC P-256 private JWK under the signer alias and its public half
 * under the verifier alias, made with Bouncy Castle at first start. The vault entries have the same form the
 * trust-list identity writes, so a connector may move between the two.
 */
@Extension(DataPlaneSigningKeysExtension.NAME)
public class DataPlaneSigningKeysExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi data-plane signing keys (DCP identity)";

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
        ensure().orElseThrow(failure -> new EdcException("Data-plane token keys ('%s', '%s'): %s".formatted(signerAlias, verifierAlias, failure.getFailureDetail())));
    }

    private Result<Void> ensure() {
        var stored = vault.resolveSecret(signerAlias);
        Result<ECKey> key;
        if (stored == null) {
            key = DidKeyRing.generate().compose(generated -> vault.storeSecret(signerAlias, generated.toJSONString()).map(ignored -> generated));
        } else {
            key = parse(stored);
        }
        if (key.failed()) {
            return key.mapFailure();
        }
        var publicJwk = key.getContent().toPublicJWK().toJSONString();
        return publicJwk.equals(vault.resolveSecret(verifierAlias)) ? Result.success() : vault.storeSecret(verifierAlias, publicJwk);
    }

    private Result<ECKey> parse(String json) {
        try {
            var key = ECKey.parse(json);
            return key.isPrivate() && Curve.P_256.equals(key.getCurve()) ? Result.success(key)
                    : Result.failure("vault entry '%s' is not a private EC P-256 JWK".formatted(signerAlias));
        } catch (ParseException e) {
            return Result.failure("vault entry '%s' is not a JWK".formatted(signerAlias));
        }
    }
}
