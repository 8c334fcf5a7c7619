package io.kakehashi.ai.transfer;

import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobRecord;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.Sha256;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class DecisionLogResultReleasesTest {

    private static final Instant NOW = Instant.parse("2026-11-23T07:00:00Z");
    private final List<DecisionEntry> entries = new CopyOnWriteArrayList<>();
    private final DecisionRecorder recorder = entry -> {
        entries.add(entry);
        return Result.success(null);
    };
    // the provider keeps the agreement under its own id; the DSP agreement id is the one both parties share
    private static final ContractAgreement AGREEMENT = ContractAgreement.Builder.newInstance().id("agreement-1").agreementId("dsp-agreement-1")
            .providerId("provider").consumerId("ai-vendor").assetId("machines").policy(Policy.Builder.newInstance().build()).build();
    private final DecisionLogResultReleases releases = new DecisionLogResultReleases(recorder,
            id -> AGREEMENT.getId().equals(id) ? AGREEMENT : null, Clock.fixed(NOW, ZoneOffset.UTC));

    private static JobRecord job() {
        var description = new JobDescription(JobType.EVALUATION, Map.of("label", "failed"), new byte[]{1, 2, 3});
        return JobRecord.queued("job-1", "agreement-1", "machines", "ai-vendor", description, NOW);
    }

    @Test
    void released_shouldBeAPermitEntryWithTheJobModelAndResultDigests() {
        var job = job();
        var resultHash = Sha256.hex("result");

        assertThat(releases.released(job, resultHash).succeeded()).isTrue();

        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.scope()).isEqualTo(DecisionScope.COMPUTE_RESULT);
            assertThat(entry.outcome()).isEqualTo(DecisionOutcome.PERMIT);
            assertThat(entry.counterpartyId()).isEqualTo("ai-vendor");
            assertThat(entry.agreementId()).isEqualTo("dsp-agreement-1");
            assertThat(entry.localAgreementId()).isEqualTo("agreement-1");
            assertThat(entry.assetId()).isEqualTo("machines");
            assertThat(entry.time()).isEqualTo(NOW);
            assertThat(entry.digests()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "job", job.descriptionHash(), "model", job.modelHash(), "result", resultHash));
        });
    }

    @Test
    void refused_shouldBeADenyEntryWithTheReasonAndNoResultDigest() {
        releases.refused(job(), "output guard (ai.minAggregation = 5): a group has 2 rows");

        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.outcome()).isEqualTo(DecisionOutcome.DENY);
            assertThat(entry.reasons()).singleElement().satisfies(reason ->
                    assertThat(reason.reason()).isEqualTo("output guard (ai.minAggregation = 5): a group has 2 rows"));
            assertThat(entry.digests()).containsOnlyKeys("job", "model");
        });
    }

    @Test
    void refused_whenTheAgreementIsNoLongerFound_shouldNameItByTheJobsId() {
        var releasesWithoutAgreements = new DecisionLogResultReleases(recorder, id -> null, Clock.fixed(NOW, ZoneOffset.UTC));

        releasesWithoutAgreements.refused(job(), "no result");

        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.agreementId()).isEqualTo("agreement-1");
            assertThat(entry.localAgreementId()).isNull();
        });
    }

    @Test
    void released_whenTheLogCannotRecord_shouldFail() {
        var broken = new DecisionLogResultReleases(entry -> Result.failure(DecisionRecorder.NOT_RECORDED), id -> null, Clock.systemUTC());

        assertThat(broken.released(job(), Sha256.hex("result")).failed()).isTrue();
    }
}
