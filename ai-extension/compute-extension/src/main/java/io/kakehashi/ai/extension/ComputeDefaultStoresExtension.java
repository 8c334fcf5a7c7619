package io.kakehashi.ai.extension;

import io.kakehashi.ai.core.InMemoryComputeJobStore;
import io.kakehashi.ai.core.InMemoryEpsilonLedger;
import io.kakehashi.ai.spi.ComputeJobStore;
import io.kakehashi.ai.spi.EpsilonLedger;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/**
 * The embedded defaults of the compute job store and the ε ledger: in memory. A durable implementation on the
 * classpath (PostgreSQL) replaces them with no switch.
 */
@Extension(ComputeDefaultStoresExtension.NAME)
public class ComputeDefaultStoresExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi compute job store and ε ledger (in memory)";

    @Override
    public String name() {
        return NAME;
    }

    @Provider(isDefault = true)
    public ComputeJobStore computeJobStore() {
        return new InMemoryComputeJobStore();
    }

    @Provider(isDefault = true)
    public EpsilonLedger epsilonLedger(ServiceExtensionContext context) {
        context.getMonitor().warning("The differential-privacy ε spent under each agreement is kept in memory: a restart refills every budget");
        return new InMemoryEpsilonLedger();
    }
}
