package io.kakehashi.policy.constraints.ai;

import io.kakehashi.policy.spi.ComputeJobCounter;
import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.validation.ConstraintRegistrar;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/**
 * Adds {@code compute.jobCount} to the {@code compute} scope: an agreement allows at most so many compute jobs,
 * counted by the {@link ComputeJobCounter} — the AI extension's durable one when it is present, an in-memory one
 * otherwise.
 */
@Extension(ComputeJobCountConstraintExtension.NAME)
public class ComputeJobCountConstraintExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi compute job count constraint";

    @Inject
    private ConstraintRegistrar registrar;
    // the AI extension's durable counter when it is present; in memory otherwise
    @Inject(required = false)
    private ComputeJobCounter counter;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        if (counter == null) {
            counter = new InMemoryComputeJobCounter();
            context.registerService(ComputeJobCounter.class, counter);
            context.getMonitor().info("Compute jobs are counted in memory: counts start again after a restart");
        }
        registrar.register(ComputeJobCountConstraintFunction.RULE, ComputePolicyContext.COMPUTE_SCOPE, ComputePolicyContext.class,
                Permission.class, new ComputeJobCountConstraintFunction(counter));
    }
}
