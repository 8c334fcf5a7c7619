package io.kakehashi.core.security;

import org.eclipse.edc.spi.entity.StatefulEntity;
import org.eclipse.edc.spi.types.domain.message.ProcessRemoteMessage;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Carries the reason of a counterparty's termination message from the protocol service that handles it
 * ({@link ReasonKeepingTransferProcessProtocolService}, {@link ReasonKeepingContractNegotiationProtocolService}) to the
 * store's save of the process it terminates, where it becomes the process's error detail: EDC 0.15.1's protocol
 * services drop it. The reason is set on the very save EDC makes in its transaction, under its lease, so the process
 * is not saved a second time; the stores then redact it like any error detail. The reason is held for the duration of
 * the call, per thread, and applies only to a process the message names ({@code consumerPid} or {@code providerPid})
 * once it is in the state the termination leads to. Thread-safe.
 */
public final class TerminationReasons {

    private final ThreadLocal<Pending> pending = new ThreadLocal<>();

    /** Runs the handling of a termination message, with its reason ready for the save. */
    <T> T during(ProcessRemoteMessage message, String detail, Supplier<T> handling) {
        var previous = pending.get();
        pending.set(new Pending(message.getConsumerPid(), message.getProviderPid(), detail));
        try {
            return handling.get();
        } finally {
            if (previous == null) {
                pending.remove();
            } else {
                pending.set(previous);
            }
        }
    }

    /** Sets the pending reason on an entity about to be saved, when the message names it and it reached the state. */
    void apply(StatefulEntity<?> entity, int terminatedState) {
        var current = pending.get();
        if (current == null || entity == null || entity.getState() != terminatedState) {
            return;
        }
        if (Objects.equals(entity.getId(), current.consumerPid()) || Objects.equals(entity.getId(), current.providerPid())) {
            entity.setErrorDetail(current.detail());
        }
    }

    private record Pending(String consumerPid, String providerPid, String detail) {
    }
}
