package io.kakehashi.ai.transfer;

import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.transfer.spi.GrpcStreamAddresses;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ComputeTransferAddressesTest {

    private static final DataAddress SINK = DataAddress.Builder.newInstance().type(GrpcStreamAddresses.TYPE)
            .property(GrpcStreamAddresses.ENDPOINT, "grpcs://127.0.0.1:8185/bulk?sha256=abcd")
            .property(GrpcStreamAddresses.AUTHORIZATION, "token")
            .property(GrpcStreamAddresses.TRANSFER_ID, "job-1")
            .property("path", "/must/not/leave")
            .build();

    @Test
    void destination_shouldCarryTheJobWithItsModelAndTheSink_butNoLocalPath() {
        var job = new JobDescription(JobType.EVALUATION, Map.of("label", "failed", "task", "regression"), new byte[]{0, 1, 2, (byte) 255});

        var destination = ComputeTransferAddresses.destination(job, SINK);
        var parsed = ComputeTransferAddresses.parse(destination).getContent();

        assertThat(destination.getType()).isEqualTo("KakehashiCompute");
        assertThat(destination.getProperties()).doesNotContainKey("path");
        assertThat(parsed.job().descriptionHash()).isEqualTo(job.descriptionHash());
        assertThat(parsed.job().model()).contains(new byte[]{0, 1, 2, (byte) 255});
        assertThat(parsed.endpoint().tls()).isTrue();
        assertThat(parsed.endpoint().certificateSha256()).isEqualTo("abcd");
        assertThat(parsed.token()).isEqualTo("token");
        assertThat(parsed.sinkTransferId()).isEqualTo("job-1");
    }

    @Test
    void parse_whenAnotherType_shouldFail() {
        assertThat(ComputeTransferAddresses.parse(SINK).getFailureDetail()).contains("KakehashiCompute destination");
        assertThat(ComputeTransferAddresses.parse(null).failed()).isTrue();
    }

    @Test
    void parse_whenTheJobIsMissingOrMalformed_shouldNameIt() {
        var noJob = DataAddress.Builder.newInstance().type("KakehashiCompute").build();
        var badJob = ComputeTransferAddresses.destination(JobDescription.of(JobType.SQL, Map.of("query", "SELECT 1")), SINK)
                .toBuilder().property(ComputeTransferAddresses.JOB, "{\"type\": \"mining\"}").build();

        assertThat(ComputeTransferAddresses.parse(noJob).getFailureDetail()).contains("no job description");
        assertThat(ComputeTransferAddresses.parse(badJob).getFailureDetail()).contains("type must be one of");
    }

    @Test
    void parse_whenTheSinkIsIncomplete_shouldFail() {
        var job = JobDescription.of(JobType.SQL, Map.of("query", "SELECT 1"));
        var noEndpoint = ComputeTransferAddresses.destination(job, SINK).toBuilder().property(GrpcStreamAddresses.ENDPOINT, "http://x").build();
        var noToken = ComputeTransferAddresses.destination(job, SINK).toBuilder().property(GrpcStreamAddresses.AUTHORIZATION, " ").build();
        var unpinned = ComputeTransferAddresses.destination(job, SINK).toBuilder()
                .property(GrpcStreamAddresses.ENDPOINT, "grpcs://127.0.0.1:8185/bulk").build();

        assertThat(ComputeTransferAddresses.parse(noEndpoint).getFailureDetail()).contains("result endpoint");
        assertThat(ComputeTransferAddresses.parse(noToken).getFailureDetail()).contains("authorization");
        assertThat(ComputeTransferAddresses.parse(unpinned).getFailureDetail()).contains("sha256");
    }

    @Test
    void destination_withAProgressSink_shouldCarryItsTokenAndTransferId_andWithoutOneNone() {
        var job = JobDescription.of(JobType.SQL, Map.of("query", "SELECT 1"));
        var progress = SINK.toBuilder().property(GrpcStreamAddresses.AUTHORIZATION, "progress-token")
                .property(GrpcStreamAddresses.TRANSFER_ID, "job-1.progress").build();

        var parsed = ComputeTransferAddresses.parse(ComputeTransferAddresses.destination(job, SINK, progress)).getContent();
        var without = ComputeTransferAddresses.parse(ComputeTransferAddresses.destination(job, SINK)).getContent();

        assertThat(parsed.reportsProgress()).isTrue();
        assertThat(parsed.progressToken()).isEqualTo("progress-token");
        assertThat(parsed.progressTransferId()).isEqualTo("job-1.progress");
        assertThat(parsed.sinkTransferId()).isEqualTo("job-1");
        assertThat(without.reportsProgress()).isFalse();
        assertThat(without.progressToken()).isNull();
    }

    @Test
    void parse_whenTheProgressSinkIsHalfThereOrTheResultSink_shouldFail() {
        var job = JobDescription.of(JobType.SQL, Map.of("query", "SELECT 1"));
        var tokenOnly = ComputeTransferAddresses.destination(job, SINK).toBuilder()
                .property(ComputeTransferAddresses.PROGRESS_AUTHORIZATION, "progress-token").build();
        var sameSink = ComputeTransferAddresses.destination(job, SINK).toBuilder()
                .property(ComputeTransferAddresses.PROGRESS_AUTHORIZATION, "progress-token")
                .property(ComputeTransferAddresses.PROGRESS_TRANSFER_ID, "job-1").build();

        assertThat(ComputeTransferAddresses.parse(tokenOnly).getFailureDetail()).contains("needs both");
        assertThat(ComputeTransferAddresses.parse(sameSink).getFailureDetail()).contains("must not be its result sink");
    }
}
