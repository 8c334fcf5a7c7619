package io.kakehashi.core.statemachine;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The state machines of EDC 0.15.1 that a connector runs, by the name their loop gives its executor (the simple name
 * of the manager class, see {@code AbstractStateEntityManager#start}). Work for one kind wakes only that kind's loops.
 */
public enum StateMachineKind {
    /** The consumer's and the provider's contract negotiations. */
    NEGOTIATION,
    /** Transfer processes, both roles. */
    TRANSFER,
    /** The data plane's data flows and the data-plane selector's registrations. */
    DATA_PLANE,
    /** The policy monitor, which re-evaluates the policies of started transfers. */
    POLICY_MONITOR;

    private static final Map<String, StateMachineKind> BY_EXECUTOR_NAME = Map.of(
            "ConsumerContractNegotiationManagerImpl", NEGOTIATION,
            "ProviderContractNegotiationManagerImpl", NEGOTIATION,
            "TransferProcessManagerImpl", TRANSFER,
            "DataPlaneManagerImpl", DATA_PLANE,
            "DataPlaneSelectorManagerImpl", DATA_PLANE,
            "PolicyMonitorManagerImpl", POLICY_MONITOR);

    /**
     * The kinds whose loops may have work once a loop of this kind did some, work that EDC saves through a service
     * call or an HTTP callback with no event: the data plane tells the control plane that a flow completed or
     * failed; the control plane starts, suspends and ends flows; the policy monitor terminates transfers.
     */
    public Set<StateMachineKind> wokenAfterWork() {
        return switch (this) {
            case NEGOTIATION -> Set.of();
            case TRANSFER -> Set.of(DATA_PLANE, POLICY_MONITOR);
            case DATA_PLANE, POLICY_MONITOR -> Set.of(TRANSFER);
        };
    }

    /**
     * The kinds woken after an iteration of this kind that found no work soon after a wake-up. EDC 0.15.1's SQL stores take an entity for
     * leased while any entity with the same id is leased, whatever its kind (the lease join ignores the kind), and a
     * transfer's data flow and policy-monitor entry share the transfer's id: while the policy monitor looks at its
     * entry, the data plane's loop cannot see the flow. So the data plane looks again once the monitor is done.
     */
    public Set<StateMachineKind> wokenAfterIdleIteration() {
        return this == POLICY_MONITOR ? Set.of(DATA_PLANE) : Set.of();
    }

    /** The kind of the state machine whose loop named its executor {@code executorName}; empty for any other executor. */
    public static Optional<StateMachineKind> ofExecutor(String executorName) {
        return Optional.ofNullable(BY_EXECUTOR_NAME.get(executorName));
    }
}
