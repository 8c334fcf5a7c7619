package io.kakehashi.ai.core.federated;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class NoiseMechanismTest {

    @Test
    void privatise_shouldClipTheUpdateToItsL2Bound() {
        // noise this small leaves the clipping visible: an update of norm 5 becomes one of norm 1
        var released = NoiseMechanism.GAUSSIAN.privatise(new double[]{0, 0}, new double[]{3, 4}, 1.0, 1e9, 1e-5, new Random(1));

        assertThat(Math.hypot(released[0], released[1])).isCloseTo(1.0, within(1e-6));
        assertThat(released[1] / released[0]).isCloseTo(4.0 / 3, within(1e-6));
    }

    @Test
    void privatise_shouldAddNoiseOfTheCalibratedSpread() {
        var random = new Random(42);
        var sigma = Math.sqrt(2 * Math.log(1.25 / 1e-5)) / 0.5;
        var n = 20_000;
        double sum = 0;
        double squares = 0;
        for (var i = 0; i < n; i++) {
            var noise = NoiseMechanism.GAUSSIAN.privatise(new double[]{0}, new double[]{0}, 1.0, 0.5, 1e-5, random)[0];
            sum += noise;
            squares += noise * noise;
        }
        var sd = Math.sqrt(squares / n - (sum / n) * (sum / n));

        assertThat(sd).isCloseTo(sigma, within(sigma * 0.05));
    }

    @Test
    void privatise_laplace_shouldClipToL1AndAddNoiseOfScaleCOverEpsilon() {
        var clipped = NoiseMechanism.LAPLACE.privatise(new double[]{0, 0}, new double[]{3, 1}, 2.0, 1e9, 0, new Random(1));
        assertThat(Math.abs(clipped[0]) + Math.abs(clipped[1])).isCloseTo(2.0, within(1e-6));

        var random = new Random(7);
        var n = 20_000;
        double absolute = 0;
        for (var i = 0; i < n; i++) {
            absolute += Math.abs(NoiseMechanism.LAPLACE.privatise(new double[]{0}, new double[]{0}, 1.0, 0.5, 0, random)[0]);
        }
        // the mean absolute value of Laplace(b) is b = C/ε = 2
        assertThat(absolute / n).isCloseTo(2.0, within(0.1));
    }

    @Test
    void privatise_withoutAPositiveEpsilonOrClip_shouldRefuse() {
        assertThatThrownBy(() -> NoiseMechanism.GAUSSIAN.privatise(new double[]{0}, new double[]{0}, 1, 0, 1e-5, new Random()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NoiseMechanism.LAPLACE.privatise(new double[]{0}, new double[]{0}, -1, 1, 0, new Random()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(NoiseMechanism.of("gaussian")).contains(NoiseMechanism.GAUSSIAN);
        assertThat(NoiseMechanism.of("exponential")).isEmpty();
    }
}
