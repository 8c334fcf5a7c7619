package io.kakehashi.core.spi.settings;

import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingValuesTest {

    private static final String KEY = "kakehashi.example.wait";

    @Test
    void duration_withinItsBounds_shouldBeRead_andTheBoundsThemselvesAccepted() {
        assertThat(SettingValues.duration(KEY, " PT30S ", Duration.ofSeconds(1), Duration.ofMinutes(1)).getContent()).isEqualTo(Duration.ofSeconds(30));
        assertThat(SettingValues.duration(KEY, "PT1S", Duration.ofSeconds(1), Duration.ofMinutes(1)).succeeded()).isTrue();
        assertThat(SettingValues.duration(KEY, "PT1M", Duration.ofSeconds(1), Duration.ofMinutes(1)).succeeded()).isTrue();
    }

    @Test
    void duration_outsideItsBounds_shouldFailNamingKeyValueAndRange() {
        assertThat(SettingValues.duration(KEY, "PT0.5S", Duration.ofSeconds(1), Duration.ofMinutes(1)).getFailureDetail())
                .isEqualTo("Invalid setting 'kakehashi.example.wait': PT0.5S is not between PT1S and PT1M");
        assertThat(SettingValues.duration(KEY, "PT2H", null, Duration.ofHours(1)).getFailureDetail()).endsWith("PT2H is not at most PT1H");
    }

    @ParameterizedTest
    @ValueSource(strings = {"30s", "", "PT", "thirty seconds"})
    void duration_thatIsNoIso8601Duration_shouldFailNamingTheKey(String value) {
        assertThat(SettingValues.positiveDuration(KEY, value).getFailureDetail())
                .isEqualTo("Invalid setting 'kakehashi.example.wait': '%s' is not an ISO-8601 duration such as PT30S".formatted(value));
    }

    @Test
    void positiveDuration_shouldRefuseZeroAndNegative_nonNegative_shouldTakeZero() {
        assertThat(SettingValues.positiveDuration(KEY, "PT0S").getFailureDetail()).endsWith("PT0S must be longer than zero");
        assertThat(SettingValues.positiveDuration(KEY, "-PT1S").failed()).isTrue();
        assertThat(SettingValues.nonNegativeDuration(KEY, "PT0S").getContent()).isZero();
        assertThat(SettingValues.nonNegativeDuration(KEY, "-PT1S").getFailureDetail()).endsWith("-PT1S is not at least PT0S");
        assertThat(SettingValues.positiveDuration(KEY, null).failed()).isTrue();
    }

    @Test
    void integer_andPort_shouldCheckTheirRanges() {
        assertThat(SettingValues.integer(KEY, "64", 1, 64).getContent()).isEqualTo(64);
        assertThat(SettingValues.integer(KEY, "65", 1, 64).getFailureDetail()).endsWith("65 is not between 1 and 64");
        assertThat(SettingValues.integer(KEY, "99999999999", 1, 64).failed()).isTrue();
        assertThat(SettingValues.integer(KEY, "six", 1, 64).getFailureDetail()).endsWith("'six' is not a whole number");
        assertThat(SettingValues.port(KEY, 65535).getContent()).isEqualTo(65535);
        assertThat(SettingValues.port(KEY, 0).failed()).isTrue();
        assertThat(SettingValues.port(KEY, 65536).failed()).isTrue();
    }

    @Test
    void bytes_shouldReadPlainNumbersAndBinaryUnits() {
        assertThat(SettingValues.bytes(KEY, "65536", 1, Long.MAX_VALUE).getContent()).isEqualTo(65536);
        assertThat(SettingValues.bytes(KEY, "64KiB", 1, Long.MAX_VALUE).getContent()).isEqualTo(65536);
        assertThat(SettingValues.bytes(KEY, "32 mib", 1, Long.MAX_VALUE).getContent()).isEqualTo(32L << 20);
        assertThat(SettingValues.bytes(KEY, "2GiB", 1, Long.MAX_VALUE).getContent()).isEqualTo(2L << 30);
        assertThat(SettingValues.bytes(KEY, "64KB", 1, Long.MAX_VALUE).getFailureDetail()).endsWith("'64KB' is not a size in bytes such as 65536 or 64KiB");
        assertThat(SettingValues.bytes(KEY, "9999999999GiB", 1, Long.MAX_VALUE).failed()).as("overflow").isTrue();
        assertThat(SettingValues.bytes(KEY, "1MiB", 1, 1000).getFailureDetail()).endsWith("1MiB is not between 1 and 1000 bytes");
    }

    @Test
    void require_shouldThrowTheStartUpErrorOrGiveTheValue() {
        assertThat(SettingValues.require(SettingValues.port(KEY, 8080))).isEqualTo(8080);
        assertThatThrownBy(() -> SettingValues.require(SettingValues.port(KEY, 0))).isInstanceOf(EdcException.class)
                .hasMessage("Invalid setting 'kakehashi.example.wait': 0 is not between 1 and 65535");
    }

    @Nested
    class Renamed {

        private static final String NEW = "kakehashi.example.time-limit";
        private static final String OLD = "kakehashi.example.timeLimit";
        private final List<String> warnings = new ArrayList<>();
        private final Monitor monitor = new Monitor() {
            @Override
            public void warning(Supplier<String> message, Throwable... errors) {
                warnings.add(message.get());
            }

            @Override
            public void warning(String message, Throwable... errors) {
                warnings.add(message);
            }
        };

        @Test
        void renamed_whenOnlyTheOldKeyIsSet_shouldUseItsValue_andWarnNamingBothKeys() {
            var config = ConfigFactory.fromMap(Map.of(OLD, "PT5M"));

            assertThat(SettingValues.renamed(config, NEW, OLD, "PT10M", monitor)).isEqualTo("PT5M");
            assertThat(warnings).singleElement().asString().contains("'" + OLD + "'", "'" + NEW + "'").doesNotContain("PT5M");
        }

        @Test
        void renamed_whenOnlyTheNewKeyIsSet_shouldUseTheInjectedValue_withoutWarning() {
            var config = ConfigFactory.fromMap(Map.of(NEW, "PT1M"));

            assertThat(SettingValues.renamed(config, NEW, OLD, "PT1M", monitor)).isEqualTo("PT1M");
            assertThat(warnings).isEmpty();
        }

        @Test
        void renamed_whenBothKeysAreSet_shouldLetTheNewOneWin_andWarnThatTheOldOneIsIgnored() {
            var config = ConfigFactory.fromMap(Map.of(NEW, "PT1M", OLD, "PT5M"));

            assertThat(SettingValues.renamed(config, NEW, OLD, "PT1M", monitor)).isEqualTo("PT1M");
            assertThat(warnings).singleElement().asString().contains("'" + OLD + "' is ignored", "'" + NEW + "'").doesNotContain("PT5M");
        }

        @Test
        void renamed_whenNeitherKeyIsSet_shouldUseTheInjectedDefault_withoutWarning() {
            assertThat(SettingValues.renamed(ConfigFactory.empty(), NEW, OLD, "PT10M", monitor)).isEqualTo("PT10M");
            assertThat(SettingValues.renamed(ConfigFactory.empty(), NEW, OLD, null, monitor)).isNull();
            assertThat(warnings).isEmpty();
        }
    }
}
