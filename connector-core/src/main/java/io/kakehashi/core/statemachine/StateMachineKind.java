package io.kakehashi.core.statemachine;

import java.util.Map;
import java.util.Optional;

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

    /** The kind of the state machine whose loop named its executor {@code executorName}; empty for any other executor. */
    public static Optional<StateMachineKind> ofExecutor(String executorName) {
        return Optional.ofNullable(BY_EXECUTOR_NAME.get(executorName));
    }
}
