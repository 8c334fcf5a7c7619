package io.kakehashi.transfer.grpc.edc;

import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.validator.spi.DataAddressValidatorRegistry;

import java.util.Set;

/**
 * Registers what a counterparty's {@value GrpcStreamAddresses#TYPE} destination may carry: the consumer's sink
 * endpoint, the token for it and the transfer id it knows the data by ({@link GrpcConsumerTransfers} fills them in
 * for a PUSH; a PULL sends the type alone). Nothing else, so no address of ours can name our vault or files.
 */
@Extension(GrpcStreamDestinationsExtension.NAME)
public class GrpcStreamDestinationsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi gRPC destination allow-list";

    /** The allow-list of a counterparty's GrpcStream destination. */
    public static final DestinationPropertyAllowList ALLOW_LIST = DestinationPropertyAllowList.of(GrpcStreamAddresses.TYPE,
            Set.of(GrpcStreamAddresses.ENDPOINT, GrpcStreamAddresses.AUTHORIZATION, GrpcStreamAddresses.TRANSFER_ID));

    @Inject(required = false)
    private DataAddressValidatorRegistry addressValidators;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        if (addressValidators != null) {
            addressValidators.registerDestinationValidator(GrpcStreamAddresses.TYPE, ALLOW_LIST);
        }
    }
}
