package io.kakehashi.ai.transfer;

import io.kakehashi.transfer.spi.DestinationPropertyAllowList;
import io.kakehashi.transfer.spi.GrpcStreamAddresses;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.validator.spi.DataAddressValidatorRegistry;

import java.util.Set;

/**
 * Registers what a counterparty's {@value ComputeTransferAddresses#TYPE} destination may carry: the job description and
 * the consumer's result (and, optionally, progress) sink, as {@link ComputeTransferAddresses#destination} writes them.
 * Nothing else, so no address of ours can name our vault or files.
 */
@Extension(ComputeDestinationsExtension.NAME)
public class ComputeDestinationsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi compute destination allow-list";

    /** The allow-list of a counterparty's KakehashiCompute destination. */
    public static final DestinationPropertyAllowList ALLOW_LIST = DestinationPropertyAllowList.of(ComputeTransferAddresses.TYPE,
            Set.of(ComputeTransferAddresses.JOB, GrpcStreamAddresses.ENDPOINT, GrpcStreamAddresses.AUTHORIZATION,
                    GrpcStreamAddresses.TRANSFER_ID, ComputeTransferAddresses.PROGRESS_AUTHORIZATION,
                    ComputeTransferAddresses.PROGRESS_TRANSFER_ID));

    @Inject(required = false)
    private DataAddressValidatorRegistry addressValidators;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        if (addressValidators != null) {
            addressValidators.registerDestinationValidator(ComputeTransferAddresses.TYPE, ALLOW_LIST);
        }
    }
}
