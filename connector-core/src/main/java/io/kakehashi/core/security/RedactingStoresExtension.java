package io.kakehashi.core.security;

import io.kakehashi.core.protocol.AgreementKeepingContractNegotiationStore;
import io.kakehashi.core.statemachine.LatestStateContractNegotiationStore;
import io.kakehashi.core.statemachine.LatestStateDataPlaneStore;
import io.kakehashi.core.statemachine.LatestStateTransferProcessStore;
import io.kakehashi.core.statemachine.StateMachineKind;
import io.kakehashi.core.statemachine.StateMachineWakeups;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.dataplane.spi.store.DataPlaneStore;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.util.Set;

/**
 * Wraps the stores whose entities carry an error detail (transfer processes, contract negotiations, data flows) so
 * that the detail is redacted as it is saved: whichever store the runtime has (EDC's in-memory default or PostgreSQL),
 * it never holds a secret, the management API never shows one, and no DSP termination message built from it carries
 * one. The same saves give a terminated process the reason its counterparty sent ({@link TerminationReasons}, shared
 * with {@link TerminationReasonsExtension}). Under the redaction, a provider's saved agreement is kept through later saves
 * without it ({@link AgreementKeepingContractNegotiationStore}), and beneath both the stored state stays the latest: a stale
 * copy is not saved over a newer state, a lease hands out what is stored once it is held, and a saved change of state
 * wakes the state machines ({@link LatestStateContractNegotiationStore}, {@link LatestStateTransferProcessStore},
 * {@link LatestStateDataPlaneStore}). Declaring the stores as provided here orders this extension after their own providers and before every user.
 */
@Extension(RedactingStoresExtension.NAME)
@Provides({ TransferProcessStore.class, ContractNegotiationStore.class, DataPlaneStore.class, TerminationReasons.class })
public class RedactingStoresExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi redacting stores";

    @Inject
    private SecretRedactor redactor;
    @Inject(required = false)
    private TransferProcessStore transferProcesses;
    @Inject(required = false)
    private ContractNegotiationStore negotiations;
    @Inject(required = false)
    private DataPlaneStore dataFlows;
    @Inject(required = false)
    private StateMachineWakeups wakeups;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var reasons = new TerminationReasons();
        context.registerService(TerminationReasons.class, reasons);
        if (transferProcesses != null && !(transferProcesses instanceof RedactingTransferProcessStore)) {
            // a stale copy never undoes another writer's transition (decision 0025, amendment "the cause found and fixed")
            var latest = new LatestStateTransferProcessStore(transferProcesses, context.getMonitor().withPrefix("TransferProcesses"),
                    waking(StateMachineKind.TRANSFER));
            context.registerService(TransferProcessStore.class, new RedactingTransferProcessStore(latest, redactor, reasons));
        }
        if (negotiations != null && !(negotiations instanceof RedactingContractNegotiationStore)) {
            // a provider's agreement, once saved, outlives later saves without it (decision 0024)
            // and a stale copy never undoes another writer's transition (decision 0025, amendment "the cause found and fixed")
            var latest = new LatestStateContractNegotiationStore(negotiations, context.getMonitor().withPrefix("Negotiations"),
                    waking(StateMachineKind.NEGOTIATION));
            var keeping = new AgreementKeepingContractNegotiationStore(latest);
            context.registerService(ContractNegotiationStore.class, new RedactingContractNegotiationStore(keeping, redactor, reasons));
        }
        if (dataFlows != null && !(dataFlows instanceof RedactingDataPlaneStore)) {
            context.registerService(DataPlaneStore.class, new RedactingDataPlaneStore(new LatestStateDataPlaneStore(dataFlows, waking(StateMachineKind.DATA_PLANE)), redactor));
        }
    }

    /** Wakes this replica's loops of {@code kind}: the replica that saved a state is the one that has its work at hand. */
    private Runnable waking(StateMachineKind kind) {
        if (wakeups == null) {
            return () -> {
            };
        }
        var kinds = Set.of(kind);
        return () -> wakeups.wakeHere(kinds);
    }
}
