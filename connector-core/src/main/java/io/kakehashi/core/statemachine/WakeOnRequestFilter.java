package io.kakehashi.core.statemachine;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

import java.util.Set;
import java.util.function.Function;

/**
 * Wakes state machines when a request that may have saved work for them has been answered. A response filter runs
 * after the resource method, so the transaction that saved the work has committed and the woken loop can see it;
 * this covers what a {@code ContractNegotiationEvent} or {@code TransferProcessEvent} raised inside that transaction
 * cannot (the event reaches its subscribers before the commit), and the transitions EDC makes without an event.
 * Reads ({@code GET}, {@code HEAD}, {@code OPTIONS}) wake nothing, so polling a state costs no iterations.
 * <p>
 * Thread-safe.
 */
final class WakeOnRequestFilter implements ContainerResponseFilter {

    private static final Set<String> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final StateMachineWakeups wakeups;
    private final Function<String, Set<StateMachineKind>> kindsByPath;

    /**
     * @param kindsByPath the kinds of state machine a write to a path (relative to the context) may have given work
     */
    WakeOnRequestFilter(StateMachineWakeups wakeups, Function<String, Set<StateMachineKind>> kindsByPath) {
        this.wakeups = wakeups;
        this.kindsByPath = kindsByPath;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (READS.contains(request.getMethod()) || response.getStatus() >= 400) {
            return;
        }
        wakeups.wake(kindsByPath.apply(request.getUriInfo().getPath()));
    }

    /** On the DSP endpoint: negotiation messages wake negotiations, transfer messages transfers; catalog requests nothing. */
    static Set<StateMachineKind> protocolKinds(String path) {
        if (path.contains("negotiations")) {
            return Set.of(StateMachineKind.NEGOTIATION);
        }
        if (path.contains("transfers")) {
            return Set.of(StateMachineKind.TRANSFER);
        }
        return Set.of();
    }

    /** On the management API: a write may start or end a negotiation or a transfer. */
    static Set<StateMachineKind> managementKinds(String path) {
        return Set.of(StateMachineKind.NEGOTIATION, StateMachineKind.TRANSFER);
    }

    /** On the control API (data-plane signalling and registration). */
    static Set<StateMachineKind> controlKinds(String path) {
        return Set.of(StateMachineKind.TRANSFER, StateMachineKind.DATA_PLANE);
    }
}
