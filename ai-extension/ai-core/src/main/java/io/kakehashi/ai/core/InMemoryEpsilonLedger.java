package io.kakehashi.ai.core;

import io.kakehashi.ai.spi.EpsilonLedger;
import org.eclipse.edc.spi.result.Result;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The embedded default {@link EpsilonLedger}: spending in memory, so a restart refills every budget (the connector
 * says so at start; production uses a durable ledger). Thread-safe: charges are serialised.
 */
public final class InMemoryEpsilonLedger implements EpsilonLedger {

    private final Map<String, Double> spent = new HashMap<>();
    private final Set<String> charged = new HashSet<>();

    @Override
    public synchronized double spent(String agreementId) {
        return spent.getOrDefault(agreementId, 0.0);
    }

    @Override
    public synchronized Result<Double> charge(String agreementId, String chargeId, double epsilon, double budget) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            return Result.failure("ai.dpEpsilon: a charge must be a positive finite ε, not " + epsilon);
        }
        var soFar = spent(agreementId);
        if (charged.contains(agreementId + "\u0000" + chargeId)) {
            return Result.success(soFar);
        }
        var total = soFar + epsilon;
        if (total > budget) {
            return Result.failure("ai.dpEpsilon: ε %s spent plus %s requested exceeds the agreement's budget of %s".formatted(soFar, epsilon, budget));
        }
        spent.put(agreementId, total);
        charged.add(agreementId + "\u0000" + chargeId);
        return Result.success(total);
    }
}
