package io.kakehashi.policy.auditor;

import io.kakehashi.policy.decisionlog.spi.VerificationResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Counts the auditor API's chain verifications, {@value #VERIFICATIONS}, tagged {@code result} (intact, broken) and
 * {@code problem} (none, or the kind of break such as {@code hash_mismatch}); never the position or the reason
 * text. Thread-safe.
 */
final class VerificationMeter implements Consumer<VerificationResult> {

    static final String VERIFICATIONS = "kakehashi.decisionlog.verifications";

    private final MeterRegistry registry;

    VerificationMeter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void accept(VerificationResult result) {
        Counter.builder(VERIFICATIONS).description("Decision-log chain verifications through the auditor API, by result")
                .tag("result", result.intact() ? "intact" : "broken")
                .tag("problem", result.problem() == null ? "none" : result.problem().name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }
}
