package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import org.eclipse.edc.connector.controlplane.contract.spi.validation.ContractValidationService;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.TypeManager;

import java.time.Clock;

/**
 * Puts the consumer's check of a received agreement into the decision log ({@link RecordingContractValidationService}).
 * EDC's {@code ContractCoreExtension} provides the {@link ContractValidationService}; declaring it as provided here
 * orders this extension after that one and before the services that inject it (the DSP protocol services), which then
 * receive the recording one. A runtime without EDC's contract core (a data plane) is left alone.
 */
@Extension(ConsumerDecisionLogExtension.NAME)
@Provides(ContractValidationService.class)
public class ConsumerDecisionLogExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi consumer decisions in the decision log";

    @Inject(required = false)
    private ContractValidationService validation;
    @Inject
    private DecisionRecorder recorder;
    @Inject
    private TypeManager typeManager;
    @Inject
    private Clock clock;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        if (validation != null && !(validation instanceof RecordingContractValidationService)) {
            context.registerService(ContractValidationService.class,
                    new RecordingContractValidationService(validation, recorder, new DecisionDigests(typeManager.getMapper()), clock));
        }
    }
}
