package io.kakehashi.core.console;

import org.eclipse.edc.spi.EdcException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsoleExtensionTest {

    @Test
    void loopbackFor_whenTheBindAddressIsAWildcard_shouldGiveLoopback() {
        assertThat(ConsoleExtension.loopbackFor("0.0.0.0")).isEqualTo("127.0.0.1");
        assertThat(ConsoleExtension.loopbackFor("::")).isEqualTo("[::1]");
    }

    @Test
    void loopbackFor_whenTheBindAddressIsOne_shouldGiveIt() {
        assertThat(ConsoleExtension.loopbackFor("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(ConsoleExtension.loopbackFor("::1")).isEqualTo("[0:0:0:0:0:0:0:1]");
    }

    @Test
    void loopbackFor_whenNotAnAddress_shouldStopNamingTheSetting() {
        assertThatThrownBy(() -> ConsoleExtension.loopbackFor("http://x/")).isInstanceOf(EdcException.class).hasMessageContaining("kakehashi.web.host");
    }
}
