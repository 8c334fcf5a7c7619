package io.kakehashi.policy.decisionlog.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SeenRecentlyTest {

    @Test
    void firstTime_whenAKeyComesAgain_shouldBeFalse() {
        var seen = new DecisionReceiptsExtension.SeenRecently(10);

        assertThat(seen.firstTime("transfer-1 transfer.started")).isTrue();
        assertThat(seen.firstTime("transfer-1 transfer.started")).isFalse();
        assertThat(seen.firstTime("transfer-1 transfer.terminated")).isTrue();
    }

    @Test
    void firstTime_beyondTheCapacity_shouldForgetTheOldest() {
        var seen = new DecisionReceiptsExtension.SeenRecently(2);
        seen.firstTime("a");
        seen.firstTime("b");
        seen.firstTime("c");

        assertThat(seen.firstTime("a")).isTrue();
        assertThat(seen.firstTime("c")).isFalse();
    }
}
