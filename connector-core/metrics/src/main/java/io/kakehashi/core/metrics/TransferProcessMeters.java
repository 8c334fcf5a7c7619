package io.kakehashi.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessCompleted;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessEvent;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessTerminated;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.spi.event.Event;
import org.eclipse.edc.spi.event.EventEnvelope;
import org.eclipse.edc.spi.event.EventSubscriber;

import java.time.Duration;
import java.util.Locale;

/**
 * Counts the transfer processes' state transitions from EDC's events ({@value #TRANSITIONS}, tag {@code state}, such
 * as {@code started}, {@code completed}, {@code terminated}) and times each transfer process from its creation to
 * COMPLETED or TERMINATED ({@value #DURATION}, tags {@code role} and {@code outcome}). No tag carries an id, an asset
 * or an address. Thread-safe.
 */
public final class TransferProcessMeters implements EventSubscriber {

    public static final String TRANSITIONS = "kakehashi.transfer.process.transitions";
    public static final String DURATION = "kakehashi.transfer.process.duration";
    private static final String EVENT_PREFIX = "transfer.process.";

    private final MeterRegistry registry;
    private final TransferProcessStore store;

    public TransferProcessMeters(MeterRegistry registry, TransferProcessStore store) {
        this.registry = registry;
        this.store = store;
    }

    @Override
    public <E extends Event> void on(EventEnvelope<E> envelope) {
        if (!(envelope.getPayload() instanceof TransferProcessEvent event)) {
            return;
        }
        var state = NegotiationMeters.stateOf(event.name(), EVENT_PREFIX);
        Counter.builder(TRANSITIONS).description("Transfer process state transitions, by the state reached")
                .tag("state", state).register(registry).increment();
        if (event instanceof TransferProcessCompleted || event instanceof TransferProcessTerminated) {
            var process = store.findById(event.getTransferProcessId());
            if (process == null) {
                return;
            }
            Timer.builder(DURATION).description("Transfer processes from their creation to COMPLETED or TERMINATED")
                    .tag("role", process.getType().name().toLowerCase(Locale.ROOT))
                    .tag("outcome", state)
                    .serviceLevelObjectives(MeterBuckets.DURATIONS)
                    .register(registry)
                    .record(Duration.ofMillis(Math.max(0, envelope.getAt() - process.getCreatedAt())));
        }
    }
}
