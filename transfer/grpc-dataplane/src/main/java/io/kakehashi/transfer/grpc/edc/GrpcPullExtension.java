package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.transfer.spi.GrpcStreamAddresses;
import org.eclipse.edc.connector.dataplane.spi.Endpoint;
import org.eclipse.edc.connector.dataplane.spi.edr.EndpointDataReferenceServiceRegistry;
import org.eclipse.edc.connector.dataplane.spi.iam.PublicEndpointGeneratorService;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/**
 * The provider's side of {@code GrpcStream-PULL}: EDC asks the endpoint generator for the EDR of a
 * {@value GrpcStreamAddresses#TYPE} flow and the EDR service of the destination type to create and revoke it (start,
 * suspend, terminate); the EDR names this connector's gRPC endpoint and a token scoped to the transfer. Registering
 * the type makes the self-registration advertise {@code GrpcStream-PULL}.
 */
@Extension(GrpcPullExtension.NAME)
public class GrpcPullExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi GrpcStream-PULL";

    @Inject
    private PublicEndpointGeneratorService endpointGenerator;
    @Inject
    private EndpointDataReferenceServiceRegistry edrServices;
    @Inject
    private OwnEndpoint endpoint;
    @Inject
    private TransferTokens tokens;
    @Inject
    private ProviderFlows flows;
    @Inject
    private GrpcTransferRegistries registries;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        endpointGenerator.addGeneratorFunction(GrpcStreamAddresses.TYPE, source -> new Endpoint(endpoint.urlFor(source), GrpcStreamAddresses.TYPE));
        var edrService = new GrpcEndpointDataReferenceService(tokens, endpoint, registries.bulkSources(), registries.recordStreams(),
                flows::checkRecordSource);
        edrServices.register(GrpcStreamAddresses.TYPE, edrService);
        edrServices.register(GrpcStreamAddresses.RECORD_STREAM_TYPE, edrService);
    }
}
