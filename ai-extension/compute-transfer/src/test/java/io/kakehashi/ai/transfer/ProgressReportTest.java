package io.kakehashi.ai.transfer;

import io.kakehashi.ai.spi.JobState;
import org.eclipse.edc.spi.EdcException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProgressReportTest {

    @Test
    void write_thenParse_shouldGiveTheSameReport() {
        var report = new ProgressReport("provider-job", JobState.RUNNING, 0.3);

        assertThat(ProgressReport.parse(report.write()).getContent()).isEqualTo(report);
        assertThat(new String(report.write(), StandardCharsets.UTF_8)).isEqualTo("{\"jobId\":\"provider-job\",\"state\":\"RUNNING\",\"progress\":0.3}");
    }

    @Test
    void parse_whenMalformedFinalOrOutOfRange_shouldFail() {
        assertThat(ProgressReport.parse("not json".getBytes(StandardCharsets.UTF_8)).failed()).isTrue();
        assertThat(ProgressReport.parse("{\"jobId\":\"j\",\"state\":\"RUNNING\"}".getBytes(StandardCharsets.UTF_8)).failed()).isTrue();
        assertThat(ProgressReport.parse("{\"jobId\":\"j\",\"state\":\"SLEEPING\",\"progress\":0.1}".getBytes(StandardCharsets.UTF_8)).failed()).isTrue();
        assertThat(ProgressReport.parse("{\"jobId\":\"j\",\"state\":\"COMPLETED\",\"progress\":1}".getBytes(StandardCharsets.UTF_8)).failed()).isTrue();
        assertThat(ProgressReport.parse("{\"jobId\":\"j\",\"state\":\"RUNNING\",\"progress\":1.5}".getBytes(StandardCharsets.UTF_8)).failed()).isTrue();
    }

    @Test
    void progressInterval_shouldReadADurationInRange_andNameTheKeyOtherwise() {
        assertThat(ComputeDataPlaneExtension.progressInterval("PT0.5S")).isEqualTo(Duration.ofMillis(500));
        assertThat(ComputeDataPlaneExtension.progressInterval(null)).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> ComputeDataPlaneExtension.progressInterval("2s")).isInstanceOf(EdcException.class)
                .hasMessageContaining("kakehashi.ai.compute.progress-interval");
        assertThatThrownBy(() -> ComputeDataPlaneExtension.progressInterval("PT0.01S")).hasMessageContaining("is not between PT0.1S and PT10M");
        assertThatThrownBy(() -> ComputeDataPlaneExtension.progressInterval("PT1H")).hasMessageContaining("is not between PT0.1S and PT10M");
    }
}
