package io.kakehashi.ai.core.federated;

import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Differentially private release of a model update: the update (local weights minus the global weights it started
 * from) is clipped to a norm bound C, then noise calibrated to C and ε is added. The clipping bounds how much one
 * provider's data can move the update (its sensitivity), so the noise hides what any part of that data contributed:
 * <ul>
 * <li>{@link #GAUSSIAN}: clip to L2 norm C, add N(0, σ²) to each weight with σ = C·√(2·ln(1.25/δ))/ε — (ε, δ)-DP for
 * ε ≤ 1 (the classical analysis);</li>
 * <li>{@link #LAPLACE}: clip to L1 norm C, add Laplace(C/ε) to each weight — ε-DP.</li>
 * </ul>
 * Protection is per round at the level of the provider's whole contribution; the ε of every round is charged against
 * the agreement's {@code ai.dpEpsilon} budget (basic composition). Thread-safe when the {@link Random} is (use a
 * {@code SecureRandom} in production).
 */
public enum NoiseMechanism {
    GAUSSIAN, LAPLACE;

    public static Optional<NoiseMechanism> of(String name) {
        try {
            return Optional.of(valueOf(name.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The global weights plus the clipped, noised update.
     *
     * @param global the weights the round started from
     * @param local  the weights after local training
     */
    public double[] privatise(double[] global, double[] local, double clip, double epsilon, double delta, Random random) {
        if (!(clip > 0) || !(epsilon > 0) || (this == GAUSSIAN && !(delta > 0 && delta < 1))) {
            throw new IllegalArgumentException("clip and ε must be positive, δ within (0, 1)");
        }
        var update = new double[local.length];
        for (var i = 0; i < update.length; i++) {
            update[i] = local[i] - global[i];
        }
        var norm = 0.0;
        for (var value : update) {
            norm += this == GAUSSIAN ? value * value : Math.abs(value);
        }
        norm = this == GAUSSIAN ? Math.sqrt(norm) : norm;
        var factor = norm > clip ? clip / norm : 1.0;
        var sigma = clip * Math.sqrt(2 * Math.log(1.25 / delta)) / epsilon;
        var scale = clip / epsilon;
        var released = new double[local.length];
        for (var i = 0; i < released.length; i++) {
            var noise = this == GAUSSIAN ? random.nextGaussian() * sigma : laplace(random, scale);
            released[i] = global[i] + update[i] * factor + noise;
        }
        return released;
    }

    private static double laplace(Random random, double scale) {
        var u = random.nextDouble() - 0.5;
        return -scale * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
    }
}
