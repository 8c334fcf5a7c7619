package io.kakehashi.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationEvent;
import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationFinalized;
import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationTerminated;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.spi.event.Event;
import org.eclipse.edc.spi.event.EventEnvelope;
import org.eclipse.edc.spi.event.EventSubscriber;

import java.time.Duration;
import java.util.Locale;

/**
 * Counts the contract negotiations' state transitions from EDC's events ({@value #TRANSITIONS}, tag {@code state}:
 * the event's last name part, such as {@code requested}, {@code agreed}, {@code finalized}) and times each negotiation
 * from its creation to its end ({@value #DURATION}, tags {@code role} consumer/provider and {@code outcome}
 * finalized/terminated), the start being the stored negotiation's creation time, so a restart in between still
 * counts the whole negotiation. No tag carries an id, an address or a participant. Thread-safe.
 */
public final class NegotiationMeters implements EventSubscriber {

    public static final String TRANSITIONS = "kakehashi.negotiation.transitions";
    public static final String DURATION = "kakehashi.negotiation.duration";
    private static final String EVENT_PREFIX = "contract.negotiation.";

    private final MeterRegistry registry;
    private final ContractNegotiationStore store;

    public NegotiationMeters(MeterRegistry registry, ContractNegotiationStore store) {
        this.registry = registry;
        this.store = store;
    }

    @Override
    public <E extends Event> void on(EventEnvelope<E> envelope) {
        if (!(envelope.getPayload() instanceof ContractNegotiationEvent event)) {
            return;
        }
        var state = stateOf(event.name(), EVENT_PREFIX);
        Counter.builder(TRANSITIONS).description("Contract negotiation state transitions, by the state reached")
                .tag("state", state).register(registry).increment();
        if (event instanceof ContractNegotiationFinalized || event instanceof ContractNegotiationTerminated) {
            var negotiation = store.findById(event.getContractNegotiationId());
            if (negotiation == null) {
                return;
            }
            var elapsed = Math.max(0, envelope.getAt() - negotiation.getCreatedAt());
            Timer.builder(DURATION).description("Contract negotiations from their creation to FINALIZED or TERMINATED")
                    .tag("role", negotiation.getType().name().toLowerCase(Locale.ROOT))
                    .tag("outcome", state)
                    .serviceLevelObjectives(MeterBuckets.DURATIONS)
                    .register(registry)
                    .record(Duration.ofMillis(elapsed));
        }
    }

    /** {@code contract.negotiation.finalized} to {@code finalized}; an unknown shape stays whole (never an id). */
    static String stateOf(String eventName, String prefix) {
        return eventName != null && eventName.startsWith(prefix) ? eventName.substring(prefix.length()) : String.valueOf(eventName);
    }
}
