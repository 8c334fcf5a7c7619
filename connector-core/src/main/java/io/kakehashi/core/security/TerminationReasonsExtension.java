package io.kakehashi.core.security;

import org.eclipse.edc.connector.controlplane.services.spi.contractnegotiation.ContractNegotiationProtocolService;
import org.eclipse.edc.connector.controlplane.services.spi.transferprocess.TransferProcessProtocolService;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/**
 * Wraps EDC's DSP protocol services for transfers and negotiations so that a counterparty's termination reason reaches
 * the process's error detail ({@link ReasonKeepingTransferProcessProtocolService},
 * {@link ReasonKeepingContractNegotiationProtocolService}). EDC provides both services with a non-default provider in
 * {@code ControlPlaneServicesExtension}; declaring them as provided here orders this extension after it and before
 * the DSP API extensions that inject them, which then receive the wrappers.
 */
@Extension(TerminationReasonsExtension.NAME)
@Provides({ TransferProcessProtocolService.class, ContractNegotiationProtocolService.class })
public class TerminationReasonsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi counterparty termination reasons";

    @Inject
    private TerminationReasons reasons;
    @Inject(required = false)
    private TransferProcessProtocolService transfers;
    @Inject(required = false)
    private ContractNegotiationProtocolService negotiations;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        if (transfers != null && !(transfers instanceof ReasonKeepingTransferProcessProtocolService)) {
            context.registerService(TransferProcessProtocolService.class, new ReasonKeepingTransferProcessProtocolService(transfers, reasons));
        }
        if (negotiations != null && !(negotiations instanceof ReasonKeepingContractNegotiationProtocolService)) {
            context.registerService(ContractNegotiationProtocolService.class, new ReasonKeepingContractNegotiationProtocolService(negotiations, reasons));
        }
    }
}
