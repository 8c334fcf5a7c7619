package io.kakehashi.policy.decisionlog.spi;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where a policy was evaluated. The wire name is what the log stores; it matches the EDC policy scope names
 * (plus {@code compute}, the scope the AI extension adds, and {@code compute.result}: the release of a compute job's
 * result, decided by the output guard rather than a policy engine and recorded through {@link DecisionRecorder});
 * {@code deletion}: the consumer deleted what it received and derived under an agreement and signed a receipt;
 * {@code deletion.receipt}: the provider verified and kept such a receipt (decision 0040);
 * {@code model.run}: the holder's connector decided a run of a vendor's model it received for inference (EDC's engine,
 * the {@code model.run} policy scope); {@code model.run.report}: the vendor's connector kept or refused the holder's
 * signed report of such a run (decision 0046).
 * Immutable and thread-safe.
 */
public enum DecisionScope {
    CATALOG("catalog"),
    CONTRACT_NEGOTIATION("contract.negotiation"),
    TRANSFER_PROCESS("transfer.process"),
    COMPUTE("compute"),
    COMPUTE_RESULT("compute.result"),
    DELETION("deletion"),
    DELETION_RECEIPT("deletion.receipt"),
    MODEL_RUN("model.run"),
    MODEL_RUN_REPORT("model.run.report");

    private final String wireName;

    DecisionScope(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<DecisionScope> fromWireName(String name) {
        return Arrays.stream(values()).filter(scope -> scope.wireName.equals(name)).findFirst();
    }
}
