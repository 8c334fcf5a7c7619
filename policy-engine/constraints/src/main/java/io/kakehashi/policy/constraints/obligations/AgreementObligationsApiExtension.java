package io.kakehashi.policy.constraints.obligations;

import io.kakehashi.core.spi.openapi.OpenApiDocuments;
import org.eclipse.edc.connector.controlplane.services.spi.contractagreement.ContractAgreementService;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.ApiContext;

/**
 * Adds {@code GET /v3/kakehashi/obligations/{agreementId}} to the management API (and its authentication): an
 * agreement's deletion duties with the deadlines computed from its signing date. The agreement is found by this
 * connector's id for it or by the id the protocol carries, which both sides share.
 */
@Extension(AgreementObligationsApiExtension.NAME)
public class AgreementObligationsApiExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi agreement obligations API";

    @Inject
    private WebService webService;
    @Inject
    private ContractAgreementService agreementService;
    @Inject(required = false)
    private OpenApiDocuments openApi;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        webService.registerResource(ApiContext.MANAGEMENT, new AgreementObligationsController(this::find));
        if (openApi != null) {
            openApi.register(ApiContext.MANAGEMENT, "obligations", AgreementObligationsApiExtension.class, "/openapi/obligations.json");
        }
    }

    // each side stores the agreement under its own id; both know the id the protocol carries (agreementId)
    private ContractAgreement find(String id) {
        var byLocalId = agreementService.findById(id);
        if (byLocalId != null) {
            return byLocalId;
        }
        var query = QuerySpec.Builder.newInstance().filter(Criterion.criterion("agreementId", "=", id)).limit(1).build();
        return agreementService.search(query).map(found -> found.isEmpty() ? null : found.get(0)).orElse(failure -> null);
    }
}
