package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.grpc.stream.RecordFiles;
import io.kakehashi.transfer.spi.DestinationPropertyAllowList;
import io.kakehashi.transfer.spi.GrpcStreamAddresses;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.eclipse.edc.validator.spi.DataAddressValidatorRegistry;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Violation;

import java.util.Set;

/**
 * The addresses of the gRPC data plane's types, checked before they are stored. A counterparty's
 * {@value GrpcStreamAddresses#TYPE} destination may carry the consumer's sink endpoint, the token for it and the
 * transfer id it knows the data by ({@link GrpcConsumerTransfers} fills them in for a PUSH; a PULL sends the type
 * alone), nothing else, so no address of ours can name our vault or files. An asset's
 * {@value GrpcStreamAddresses#RECORD_STREAM_TYPE} source names either a registered record source or a record file
 * inside the served directory ({@link RecordFileSettings#STREAM_DIRECTORY}).
 */
@Extension(GrpcStreamValidatorsExtension.NAME)
public class GrpcStreamValidatorsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi gRPC address validators";

    /** The allow-list of a counterparty's GrpcStream destination. */
    public static final DestinationPropertyAllowList ALLOW_LIST = DestinationPropertyAllowList.of(GrpcStreamAddresses.TYPE,
            Set.of(GrpcStreamAddresses.ENDPOINT, GrpcStreamAddresses.AUTHORIZATION, GrpcStreamAddresses.TRANSFER_ID));

    @Inject(required = false)
    private DataAddressValidatorRegistry addressValidators;
    @Inject
    private RecordFiles recordFiles;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        if (addressValidators != null) {
            addressValidators.registerDestinationValidator(GrpcStreamAddresses.TYPE, ALLOW_LIST);
            addressValidators.registerSourceValidator(GrpcStreamAddresses.RECORD_STREAM_TYPE, this::recordStreamAddress);
        }
    }

    /** An asset's record-stream address names one record source or one record file inside the served directory. */
    private ValidationResult recordStreamAddress(DataAddress address) {
        var name = address.getStringProperty(GrpcStreamAddresses.RECORD_SOURCE);
        var file = address.getStringProperty(GrpcStreamAddresses.RECORD_FILE);
        if ((name == null) == (file == null)) {
            return ValidationResult.failure(Violation.violation("a record stream names either its record source (%s) or its record file (%s), one of them"
                    .formatted(GrpcStreamAddresses.RECORD_SOURCE, GrpcStreamAddresses.RECORD_FILE), GrpcStreamAddresses.RECORD_SOURCE));
        }
        if (file != null) {
            var resolved = recordFiles.resolve(file);
            if (resolved.failed()) {
                return ValidationResult.failure(Violation.violation(resolved.getFailureDetail(), GrpcStreamAddresses.RECORD_FILE, file));
            }
        }
        return ValidationResult.success();
    }
}
