package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Locale;

/**
 * Counts what enters the decision log through its one door (the recorder): {@value #APPENDS}, tagged with the
 * decision's {@code scope} (catalog, contract.negotiation, transfer.process, compute, compute.result) and
 * {@code outcome} (permit, deny), once the entry is in the chain; a decision that could not be recorded is
 * {@value #APPEND_FAILURES}. Counting here rather than around the store keeps the store itself in the hands of the
 * verifier and the Merkle tree, which read a file store's lines directly. No participant, agreement or asset becomes
 * a tag. Thread-safe.
 */
final class DecisionLogMeters {

    static final String APPENDS = "kakehashi.decisionlog.appends";
    static final String APPEND_FAILURES = "kakehashi.decisionlog.append.failures";

    private final MeterRegistry registry;
    private final Counter failures;

    DecisionLogMeters(MeterRegistry registry) {
        this.registry = registry;
        this.failures = Counter.builder(APPEND_FAILURES).description("Decisions that could not be recorded in the policy-decision log").register(registry);
    }

    void appended(DecisionEntry entry) {
        Counter.builder(APPENDS).description("Decisions appended to the policy-decision log")
                .tag("scope", entry.scope().wireName())
                .tag("outcome", entry.outcome().name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }

    void failed() {
        failures.increment();
    }
}
