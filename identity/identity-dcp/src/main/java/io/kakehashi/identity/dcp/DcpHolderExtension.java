package io.kakehashi.identity.dcp;

import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.dcp.holder.CredentialOfferController;
import io.kakehashi.identity.dcp.holder.CredentialStorageController;
import io.kakehashi.identity.dcp.holder.CredentialStorageService;
import io.kakehashi.identity.dcp.holder.DirectoryCredentialStore;
import io.kakehashi.identity.dcp.holder.HeldCredentialsFingerprint;
import io.kakehashi.identity.dcp.holder.PresentationQueryController;
import io.kakehashi.identity.dcp.holder.PresentationService;
import io.kakehashi.identity.dcp.holder.SecureTokenController;
import io.kakehashi.identity.dcp.holder.SecureTokenService;
import io.kakehashi.identity.did.DidPublicKeys;
import io.kakehashi.identity.did.OwnDid;
import io.kakehashi.identity.did.OwnDidExtension;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.spi.WebService;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The connector's embedded DCP holder: its credentials from a directory, and on the identity web context the
 * presentation query, the storage and offer endpoints and, when a client is configured, the STS token endpoint. The
 * verifier learns of the held credentials only their fingerprint.
 */
@Extension(DcpHolderExtension.NAME)
public class DcpHolderExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi DCP holder";
    static final String STS_CLIENT_ID = "kakehashi.identity.sts.client-id";

    @Setting(key = "kakehashi.identity.credentials.dir", defaultValue = "kakehashi-data/credentials",
            description = "Directory of this connector's credentials, one vc+jwt per *.jwt file (as the issuer tool writes them)")
    private String credentialsDirectory;

    @Setting(key = STS_CLIENT_ID, required = false,
            description = "Client id of the embedded secure token service's HTTP endpoint (POST <identity>/sts/token); unset: no such endpoint")
    private String stsClientId;

    @Setting(key = "kakehashi.identity.sts.client-secret-alias", defaultValue = "kakehashi-sts-client-secret",
            description = "Vault alias of the secure token service client's secret; required when " + STS_CLIENT_ID + " is set")
    private String stsClientSecretAlias;

    @Inject
    private Vault vault;
    @Inject
    private OwnDid ownDid;
    @Inject
    private DidPublicKeys keys;
    @Inject
    private JtiValidationStore jtiValidationStore;
    @Inject
    private WebService webService;
    @Inject
    private Clock clock;
    @Inject
    private Monitor monitor;
    @Inject
    private SelfIssuedTokens tokens;
    @Inject
    private IdTokenVerifier idTokens;
    @Inject
    private TrustedIssuers trusted;

    private HeldCredentialsFingerprint fingerprint;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var store = new DirectoryCredentialStore(Path.of(credentialsDirectory), ownDid.id(), monitor);
        var held = store.all();
        fingerprint = store::fingerprint;
        var presentationService = new PresentationService(ownDid, store, tokens, idTokens, jtiValidationStore, clock);
        webService.registerResource(OwnDidExtension.IDENTITY_CONTEXT, new PresentationQueryController(presentationService, monitor));
        var storage = new CredentialStorageService(ownDid, idTokens, trusted, keys, store, jtiValidationStore);
        webService.registerResource(OwnDidExtension.IDENTITY_CONTEXT, new CredentialStorageController(storage, monitor));
        webService.registerResource(OwnDidExtension.IDENTITY_CONTEXT, new CredentialOfferController(storage, monitor));
        var sts = secureTokenService(stsClientId, stsClientSecretAlias, vault, tokens);
        if (sts != null) {
            webService.registerResource(OwnDidExtension.IDENTITY_CONTEXT, new SecureTokenController(sts, monitor));
            monitor.info("Identity: the secure token service answers client '%s' at %s/sts/token".formatted(stsClientId, OwnDidExtension.IDENTITY_CONTEXT));
        }
        monitor.info("Identity: DCP as %s, holding %d credential(s) from %s".formatted(ownDid.id(), held.size(), credentialsDirectory));
    }

    /** The fingerprint of the held credentials, for the access tokens of outgoing requests (decision 0044). */
    @Provider
    public HeldCredentialsFingerprint heldCredentialsFingerprint() {
        return fingerprint;
    }

    /** The STS endpoint's service, or null when no client is configured; a configured client needs its secret in the vault. */
    static SecureTokenService secureTokenService(String clientId, String secretAlias, Vault vault, SelfIssuedTokens tokens) {
        if (clientId == null || clientId.isBlank()) {
            return null;
        }
        var secret = vault.resolveSecret(secretAlias);
        if (secret == null || secret.isBlank()) {
            throw new EdcException("Missing secret: '%s' is set, so the vault must hold the client secret under 'kakehashi.identity.sts.client-secret-alias' (%s)"
                    .formatted(STS_CLIENT_ID, secretAlias));
        }
        return new SecureTokenService(tokens, clientId, secret);
    }
}
