package io.kakehashi.samples.interop.stockdcp;

import org.eclipse.edc.iam.decentralizedclaims.spi.SecureTokenService;
import org.eclipse.edc.iam.decentralizedclaims.sts.remote.RemoteSecureTokenService;
import org.eclipse.edc.iam.decentralizedclaims.sts.remote.StsRemoteClientConfiguration;
import org.eclipse.edc.connector.controlplane.catalog.spi.policy.CatalogPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.iam.oauth2.spi.client.Oauth2Client;
import org.eclipse.edc.policy.context.request.spi.RequestCatalogPolicyContext;
import org.eclipse.edc.policy.context.request.spi.RequestContractNegotiationPolicyContext;
import org.eclipse.edc.policy.context.request.spi.RequestPolicyContext;
import org.eclipse.edc.policy.context.request.spi.RequestTransferProcessPolicyContext;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.policy.engine.spi.RuleBindingRegistry;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.util.Arrays;
import java.util.List;

/**
 * Test glue that lets a stock EDC 0.15.1 control plane built from {@code controlplane-dcp-bom} run against a remote
 * IdentityHub, doing only what 0.15.1's published artifacts leave undone:
 * <ul>
 *     <li>the remote STS client: {@code decentralized-claims-sts-remote-client} is in the 0.15.1 BOM but was never
 *     published, so this provides the {@link SecureTokenService} from its published {@code -lib} half, read from the
 *     same settings that extension reads ({@code edc.iam.sts.oauth.*});</li>
 *     <li>the STS client secret in the vault: {@code secrets-api} is unpublished, so the secret the test got from
 *     IdentityHub's identity API comes in as {@code kakehashi.interop.sts.client-secret} and is stored under
 *     {@code edc.iam.sts.oauth.client.secret.alias};</li>
 *     <li>default scopes: 0.15.1 registers none, and an outgoing request without a scope fails with "Scope string
 *     invalid"; {@code kakehashi.interop.dcp.default-scopes} (comma-separated) is added to every catalog,
 *     negotiation and transfer request;</li>
 *     <li>a membership policy function ({@link MembershipFunction}): 0.15.1 ships none for any credential.</li>
 * </ul>
 * It is on the stock DCP runtime's class path only, never on Kakehashi's.
 */
@Extension("Test harness: stock EDC DCP glue")
public class StockDcpGlueExtension implements ServiceExtension {

    static final String TOKEN_URL = "edc.iam.sts.oauth.token.url";
    static final String CLIENT_ID = "edc.iam.sts.oauth.client.id";
    static final String CLIENT_SECRET_ALIAS = "edc.iam.sts.oauth.client.secret.alias";
    static final String CLIENT_SECRET = "kakehashi.interop.sts.client-secret";
    static final String DEFAULT_SCOPES = "kakehashi.interop.dcp.default-scopes";
    /** The left operand a stock provider's membership constraint uses (the same IRI Kakehashi's policies use). */
    static final String MEMBERSHIP = "https://w3id.org/kakehashi/policy/membership";

    @Inject
    private Oauth2Client oauth2Client;
    @Inject
    private Vault vault;
    @Inject
    private PolicyEngine policyEngine;
    @Inject
    private RuleBindingRegistry ruleBindings;

    private StsRemoteClientConfiguration stsConfiguration;

    @Override
    public void initialize(ServiceExtensionContext context) {
        var config = context.getConfig();
        stsConfiguration = new StsRemoteClientConfiguration(config.getString(TOKEN_URL), config.getString(CLIENT_ID),
                config.getString(CLIENT_SECRET_ALIAS));
        var stored = vault.storeSecret(stsConfiguration.clientSecretAlias(), config.getString(CLIENT_SECRET));
        if (stored.failed()) {
            throw new EdcException("the STS client secret could not be stored in the vault");
        }
        var scopes = Arrays.stream(config.getString(DEFAULT_SCOPES).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (scopes.isEmpty()) {
            throw new EdcException(DEFAULT_SCOPES + " names no scope");
        }
        policyEngine.registerPostValidator(RequestCatalogPolicyContext.class, new DefaultScopes<>(scopes));
        policyEngine.registerPostValidator(RequestContractNegotiationPolicyContext.class, new DefaultScopes<>(scopes));
        policyEngine.registerPostValidator(RequestTransferProcessPolicyContext.class, new DefaultScopes<>(scopes));

        for (var scope : List.of(CatalogPolicyContext.CATALOG_SCOPE, ContractNegotiationPolicyContext.NEGOTIATION_SCOPE,
                TransferProcessPolicyContext.TRANSFER_SCOPE)) {
            ruleBindings.bind(MEMBERSHIP, scope);
        }
        policyEngine.registerFunction(CatalogPolicyContext.class, Permission.class, MEMBERSHIP, new MembershipFunction<>());
        policyEngine.registerFunction(ContractNegotiationPolicyContext.class, Permission.class, MEMBERSHIP, new MembershipFunction<>());
        policyEngine.registerFunction(TransferProcessPolicyContext.class, Permission.class, MEMBERSHIP, new MembershipFunction<>());
    }

    @Provider
    public SecureTokenService secureTokenService() {
        return new RemoteSecureTokenService(oauth2Client, participantContextId -> stsConfiguration, vault);
    }

    private record DefaultScopes<C extends RequestPolicyContext>(List<String> scopes)
            implements org.eclipse.edc.policy.engine.spi.PolicyValidatorRule<C> {
        @Override
        public Boolean apply(Policy policy, C context) {
            scopes.forEach(context.requestScopeBuilder()::scope);
            return true;
        }
    }
}
