package io.kakehashi.core.statemachine;

import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationEvent;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessEvent;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.event.Event;
import org.eclipse.edc.spi.event.EventEnvelope;
import org.eclipse.edc.spi.event.EventRouter;
import org.eclipse.edc.spi.event.EventSubscriber;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.ApiContext;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Wakes the state machines when work arrives for them: a negotiation or transfer event (a state saved by a DSP
 * message, a management request or another state machine), and an answered write to the DSP, management or control
 * endpoint (after its transaction committed). Does nothing when {@link StateMachineWakeupsExtension} left EDC's polling
 * in place. See decision record 0025.
 */
@Extension(WakeOnWorkExtension.NAME)
public class WakeOnWorkExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi state machines woken on work";

    private static final Map<String, Function<String, Set<StateMachineKind>>> CONTEXTS = Map.of(
            ApiContext.PROTOCOL, WakeOnRequestFilter::protocolKinds,
            ApiContext.MANAGEMENT, WakeOnRequestFilter::managementKinds,
            ApiContext.CONTROL, WakeOnRequestFilter::controlKinds);

    @Inject
    private StateMachineWakeups wakeups;
    @Inject
    private EventRouter eventRouter;
    @Inject
    private WebService webService;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        eventRouter.registerSync(ContractNegotiationEvent.class, wakingOn(Set.of(StateMachineKind.NEGOTIATION)));
        // a transfer's start and end give the data plane and the policy monitor work too
        eventRouter.registerSync(TransferProcessEvent.class,
                wakingOn(Set.of(StateMachineKind.TRANSFER, StateMachineKind.DATA_PLANE, StateMachineKind.POLICY_MONITOR)));
        var config = context.getConfig();
        CONTEXTS.forEach((name, kinds) -> {
            // a context the runtime does not configure has no requests to wake on
            if (config.hasKey("web.http." + name + ".port")) {
                webService.registerResource(name, new WakeOnRequestFilter(wakeups, kinds));
            }
        });
    }

    private EventSubscriber wakingOn(Set<StateMachineKind> kinds) {
        return new EventSubscriber() {
            @Override
            public <E extends Event> void on(EventEnvelope<E> event) {
                wakeups.wake(kinds);
            }
        };
    }
}
