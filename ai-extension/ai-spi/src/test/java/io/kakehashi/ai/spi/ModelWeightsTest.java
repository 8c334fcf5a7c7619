package io.kakehashi.ai.spi;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ModelWeightsTest {

    @Test
    void decode_ofEncode_shouldGiveTheWeightsBack() {
        var weights = new double[]{0.5, -1.25, 3e-9};

        assertThat(ModelWeights.decode(ModelWeights.encode(weights)).getContent()).containsExactly(weights);
    }

    @Test
    void decode_whenMalformed_shouldFail() {
        assertThat(ModelWeights.decode(new byte[]{1, 2, 3}).failed()).isTrue();
        assertThat(ModelWeights.decode(new byte[16]).getFailureDetail()).contains("not a weight vector");
        var truncated = Arrays.copyOf(ModelWeights.encode(new double[]{1, 2}), 20);
        assertThat(ModelWeights.decode(truncated).getFailureDetail()).contains("does not fit");
        assertThat(ModelWeights.decode(ModelWeights.encode(new double[]{Double.NaN})).getFailureDetail()).contains("not a finite number");
    }
}
