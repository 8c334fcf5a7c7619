package io.kakehashi.samples.interop.identityhub;

import org.eclipse.edc.identityhub.spi.authentication.ServicePrincipal;
import org.eclipse.edc.identityhub.spi.participantcontext.ParticipantContextService;
import org.eclipse.edc.identityhub.spi.participantcontext.model.KeyDescriptor;
import org.eclipse.edc.identityhub.spi.participantcontext.model.ParticipantManifest;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.util.List;
import java.util.Map;

/**
 * Test glue: IdentityHub 0.15.1's identity API accepts only API keys of existing participant contexts and ships no
 * way to make the first one, so this seeds one admin participant context at start and sets its API key to
 * {@code kakehashi.interop.ih.admin-api-key} (the key must be {@code base64(admin id).anything}, the form IdentityHub
 * parses). Everything else — the participant context of the stock participant, its keys and credentials — the test
 * creates through the identity API with this key. On the IdentityHub's class path only.
 */
@Extension("Test harness: IdentityHub first admin")
public class AdminSeedExtension implements ServiceExtension {

    static final String ADMIN_ID = "kakehashi.interop.ih.admin-id";
    static final String ADMIN_API_KEY = "kakehashi.interop.ih.admin-api-key";

    @Inject
    private ParticipantContextService participantContexts;
    @Inject
    private Vault vault;

    private String adminId;
    private String apiKey;

    @Override
    public void initialize(ServiceExtensionContext context) {
        adminId = context.getConfig().getString(ADMIN_ID, "admin");
        apiKey = context.getConfig().getString(ADMIN_API_KEY);
    }

    @Override
    public void start() {
        if (participantContexts.getParticipantContext(adminId).succeeded()) {
            return;
        }
        var manifest = ParticipantManifest.Builder.newInstance()
                .participantContextId(adminId)
                .did("did:web:" + adminId)
                .active(true)
                .roles(List.of(ServicePrincipal.ROLE_ADMIN))
                .key(KeyDescriptor.Builder.newInstance()
                        .keyId(adminId + "-key")
                        .privateKeyAlias(adminId + "-private-key")
                        .keyGeneratorParams(Map.of("algorithm", "EC", "curve", "secp256r1"))
                        .build())
                .build();
        var created = participantContexts.createParticipantContext(manifest);
        if (created.failed()) {
            throw new EdcException("could not seed the admin participant context: " + created.getFailureDetail());
        }
        var alias = participantContexts.getParticipantContext(adminId).getContent().getApiTokenAlias();
        // IdentityHub reads API keys from the participant's partition of the vault
        if (vault.storeSecret(adminId, alias, apiKey).failed()) {
            throw new EdcException("could not store the admin API key in the vault");
        }
    }
}
