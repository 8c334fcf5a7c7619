package io.kakehashi.ai.models;

import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.ai.spi.TabularAsset;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.kakehashi.ai.models.ModelAssetsTestFixtures.DSP_AGREEMENT;
import static io.kakehashi.ai.models.ModelAssetsTestFixtures.HOLDER;
import static io.kakehashi.ai.models.ModelAssetsTestFixtures.SIGNED;
import static io.kakehashi.ai.models.ModelAssetsTestFixtures.VENDOR;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A vendor's model run at the holder under an inference-only agreement: decided and counted by the holder's connector,
 * reported as a signed count that the vendor's connector verifies and keeps — both sides end with the same count, and
 * neither the holder's data nor its predictions reach the vendor.
 */
class ModelRunsTest {

    private static final String HOLDER_LOCAL = "holder-local-1";
    private static final String VENDOR_LOCAL = "vendor-local-1";

    @TempDir
    Path dir;
    private byte[] model;
    private Path holderData;
    private final ECKey holderKey = ModelAssetsTestFixtures.key(HOLDER);
    private final List<DecisionEntry> vendorLog = new ArrayList<>();
    private final AtomicBoolean vendorReachable = new AtomicBoolean(true);
    private ReceivedRunReports vendorReports;
    private RunReportReceiver vendor;

    @BeforeEach
    void vendorAndHolder() throws Exception {
        model = ModelAssetsTestFixtures.vendorModel(dir);
        holderData = ModelAssetsTestFixtures.machineCsv(dir.resolve("holder-machines.csv"), 300, 12);
        vendorReports = new FileReceivedRunReports(dir.resolve("vendor/run-reports.jsonl"), ModelAssetsTestFixtures.mapper());
        vendor = vendor(ModelAssetsTestFixtures.inferenceOnly(2));
    }

    private RunReportReceiver vendor(Policy policy) {
        var agreement = ModelAssetsTestFixtures.agreement(VENDOR_LOCAL, policy);
        return new RunReportReceiver(VENDOR, id -> DSP_AGREEMENT.equals(id) || VENDOR_LOCAL.equals(id) ? agreement : null,
                (participant, keyId) -> HOLDER.equals(participant) && holderKey.getKeyID().equals(keyId)
                        ? Result.success(holderKey.toPublicJWK()) : Result.failure("no key '%s' of %s".formatted(keyId, participant)),
                vendorReports, entry -> {
                    vendorLog.add(entry);
                    return Result.success(new StoredDecision(vendorLog.size(), "0".repeat(64), "0".repeat(64), entry));
                }, Clock.systemUTC());
    }

    /** The holder's connector, its model sealed under the agreement; the reports go straight to the vendor's receiver. */
    private ModelRuns holder(Policy policy, Instant now) throws Exception {
        var agreement = ModelAssetsTestFixtures.agreement(HOLDER_LOCAL, policy);
        var store = new SealedModelStore(dir.resolve("holder/models"), ModelAssetsTestFixtures.mapper());
        if (store.find(HOLDER_LOCAL).isEmpty()) {
            var received = Files.write(dir.resolve("received.onnx"), model);
            assertThat(store.seal(agreement, "http://127.0.0.1:1/protocol/2025-1", received, SIGNED).succeeded()).isTrue();
        }
        var clock = Clock.fixed(now, ZoneOffset.UTC);
        RunReportDelivery delivery = (sealed, report) -> {
            if (!vendorReachable.get()) {
                return Result.failure("the vendor's connector did not answer");
            }
            var kept = vendor.receive(report);
            return kept.succeeded() ? Result.success() : Result.failure(kept.getFailureDetail());
        };
        return new ModelRuns(HOLDER, id -> HOLDER_LOCAL.equals(id) || DSP_AGREEMENT.equals(id) ? agreement : null, store,
                ModelAssetsTestFixtures.engine(clock), null,
                assetId -> "machines".equals(assetId) ? Result.success(new TabularAsset(holderData, TabularAsset.Format.CSV)) : Result.failure("the asset is unknown"),
                dir.resolve("holder/predictions"), () -> holderKey, delivery, Runnable::run, clock, 256L << 20, ModelAssetsTestFixtures.mapper());
    }

    private static ModelRuns.RunRequest onMachines() {
        return new ModelRuns.RunRequest("machines", null, null, "id");
    }

    @Nested
    class CountedOnBothSides {

        @Test
        void run_underTheLimit_shouldPredictAtTheHolderAndBeCountedByBoth() throws Exception {
            var holder = holder(ModelAssetsTestFixtures.inferenceOnly(2), SIGNED.plus(Duration.ofDays(1)));

            var first = holder.run(DSP_AGREEMENT, onMachines());

            assertThat(first.succeeded()).as(first.succeeded() ? "" : first.getFailureDetail()).isTrue();
            var run = first.getContent();
            assertThat(run.run()).isEqualTo(1);
            assertThat(run.state()).isEqualTo(ModelRun.State.COMPLETED);
            assertThat(run.rows()).isEqualTo(300);
            assertThat(run.reported()).isTrue();
            var predictions = Files.readAllLines(Path.of(run.predictions()));
            assertThat(predictions).hasSize(301).first().isEqualTo("id,prediction");
            assertThat(predictions.subList(1, 301)).allSatisfy(line -> assertThat(line).matches("m-\\d+,(yes|no)"));
            // the vendor counts the run and holds nothing of the data
            var kept = vendorReports.of(DSP_AGREEMENT);
            assertThat(kept).singleElement().satisfies(report -> {
                assertThat(report.run()).isEqualTo(1);
                assertThat(report.runId()).isEqualTo(run.runId());
                assertThat(report.holderId()).isEqualTo(HOLDER);
                assertThat(report.modelSha256()).isEqualTo(run.modelSha256());
                assertThat(report.beyondLimit()).isFalse();
            });
            var payload = new String(Base64.getUrlDecoder().decode(kept.get(0).report().split("\\.")[1]));
            assertThat(payload).doesNotContain("machines").doesNotContain("m-1").doesNotContain("prediction");
            assertThat(vendorLog).singleElement().satisfies(entry -> {
                assertThat(entry.scope()).isEqualTo(DecisionScope.MODEL_RUN_REPORT);
                assertThat(entry.outcome()).isEqualTo(DecisionOutcome.PERMIT);
                assertThat(entry.counterpartyId()).isEqualTo(HOLDER);
                assertThat(entry.agreementId()).isEqualTo(DSP_AGREEMENT);
                assertThat(entry.digests()).containsEntry("model", run.modelSha256());
            });

            assertThat(holder.run(HOLDER_LOCAL, onMachines()).getContent().run()).isEqualTo(2);
            assertThat(vendorReports.of(DSP_AGREEMENT)).extracting(ReceivedRunReport::run).containsExactly(1L, 2L);
        }

        @Test
        void run_overTheLimit_shouldBeRefusedWithTheReasonAndNotCounted() throws Exception {
            var holder = holder(ModelAssetsTestFixtures.inferenceOnly(2), SIGNED.plus(Duration.ofDays(1)));
            holder.run(DSP_AGREEMENT, onMachines());
            holder.run(DSP_AGREEMENT, onMachines());

            var third = holder.run(DSP_AGREEMENT, onMachines());

            assertThat(third.failed()).isTrue();
            assertThat(third.getFailure().getReason()).isEqualTo(ServiceFailure.Reason.UNAUTHORIZED);
            assertThat(third.getFailureDetail()).isEqualTo("denied by policy: ai.inferenceRuns: 2 runs of the model used of 2 allowed under agreement holder-local-1");
            assertThat(holder.runs(DSP_AGREEMENT).getContent()).hasSize(2);
            assertThat(vendorReports.of(DSP_AGREEMENT)).hasSize(2);
        }

        @Test
        void run_afterARestart_shouldCountTheRunsBefore() throws Exception {
            holder(ModelAssetsTestFixtures.inferenceOnly(2), SIGNED.plus(Duration.ofDays(1))).run(DSP_AGREEMENT, onMachines());
            holder(ModelAssetsTestFixtures.inferenceOnly(2), SIGNED.plus(Duration.ofDays(1))).run(DSP_AGREEMENT, onMachines());

            var restarted = holder(ModelAssetsTestFixtures.inferenceOnly(2), SIGNED.plus(Duration.ofDays(2)));

            assertThat(restarted.run(DSP_AGREEMENT, onMachines()).getFailureDetail()).contains("2 runs of the model used of 2 allowed");
        }

        @Test
        void run_afterTheWindow_shouldBeRefused() throws Exception {
            var holder = holder(ModelAssetsTestFixtures.inferenceOnly(5), SIGNED.plus(Duration.ofDays(31)));

            var late = holder.run(DSP_AGREEMENT, onMachines());

            assertThat(late.getFailureDetail()).startsWith("denied by policy: elapsedTime: ");
            assertThat(vendorReports.of(DSP_AGREEMENT)).isEmpty();
        }

        @Test
        void run_whenTheVendorIsUnreachable_shouldReportLaterInOrder() throws Exception {
            var holder = holder(ModelAssetsTestFixtures.inferenceOnly(5), SIGNED.plus(Duration.ofDays(1)));
            vendorReachable.set(false);
            assertThat(holder.run(DSP_AGREEMENT, onMachines()).getContent().reported()).isFalse();
            assertThat(holder.run(DSP_AGREEMENT, onMachines()).getContent().reported()).isFalse();

            vendorReachable.set(true);
            holder.deliverAllPending();

            assertThat(vendorReports.of(DSP_AGREEMENT)).extracting(ReceivedRunReport::run).containsExactly(1L, 2L);
            assertThat(holder.runs(DSP_AGREEMENT).getContent()).allSatisfy(run -> assertThat(run.reported()).isTrue());
        }
    }

    @Nested
    class RefusedBeforeDeciding {

        @Test
        void run_onAnUnknownAsset_shouldBeABadRequestAndUseNoRun() throws Exception {
            var holder = holder(ModelAssetsTestFixtures.inferenceOnly(1), SIGNED.plus(Duration.ofDays(1)));

            var result = holder.run(DSP_AGREEMENT, new ModelRuns.RunRequest("other", null, null, null));

            assertThat(result.getFailure().getReason()).isEqualTo(ServiceFailure.Reason.BAD_REQUEST);
            assertThat(holder.run(DSP_AGREEMENT, onMachines()).succeeded()).isTrue();
        }

        @Test
        void run_whenTheModelWasDeleted_shouldBeNotFound() throws Exception {
            var holder = holder(ModelAssetsTestFixtures.inferenceOnly(5), SIGNED.plus(Duration.ofDays(1)));
            // what the deletion at the agreement's deadline does with the lineage record's file
            Files.delete(new SealedModelStore(dir.resolve("holder/models"), ModelAssetsTestFixtures.mapper()).home(HOLDER_LOCAL)
                    .resolve(SealedModelStore.MODEL));

            var result = holder.run(DSP_AGREEMENT, onMachines());

            assertThat(result.getFailure().getReason()).isEqualTo(ServiceFailure.Reason.NOT_FOUND);
            assertThat(result.getFailureDetail()).contains("is no longer held: it was deleted");
            assertThat(holder.runs(DSP_AGREEMENT).getContent()).isEmpty();
        }

        @Test
        void run_underAnAgreementWithoutAModel_shouldBeNotFound() throws Exception {
            var holder = holder(ModelAssetsTestFixtures.inferenceOnly(1), SIGNED.plus(Duration.ofDays(1)));

            assertThat(holder.run("another-agreement", onMachines()).getFailure().getReason()).isEqualTo(ServiceFailure.Reason.NOT_FOUND);
        }
    }

    @Nested
    class AtTheVendor {

        private String report(long run, String runId, String modelSha256, ECKey key) {
            var payload = new java.util.LinkedHashMap<String, Object>();
            payload.put("agreementId", DSP_AGREEMENT);
            payload.put("vendorId", VENDOR);
            payload.put("holderId", HOLDER);
            payload.put("assetId", ModelAssetsTestFixtures.MODEL_ASSET);
            payload.put("run", run);
            payload.put("runId", runId);
            payload.put("time", SIGNED.plusSeconds(run).toString());
            payload.put("modelSha256", modelSha256);
            return RunReports.sign(payload, key);
        }

        private final String digest = "ab".repeat(32);

        @Test
        void receive_theSameReportAgain_shouldKeepItOnce() {
            var first = report(1, "r-1", digest, holderKey);

            assertThat(vendor.receive(first).succeeded()).isTrue();
            assertThat(vendor.receive(first).succeeded()).isTrue();

            assertThat(vendorReports.of(DSP_AGREEMENT)).hasSize(1);
        }

        @Test
        void receive_theSameReportSignedAgain_shouldKeepItOnce() {
            assertThat(vendor.receive(report(1, "r-1", digest, holderKey)).succeeded()).isTrue();

            var again = vendor.receive(report(1, "r-1", digest, holderKey));

            assertThat(again.succeeded()).isTrue();
            assertThat(vendorReports.of(DSP_AGREEMENT)).hasSize(1);
            assertThat(vendorLog).hasSize(1);
        }

        @Test
        void receive_aReportSignedByAnotherKey_shouldBeRefused() {
            var forger = ModelAssetsTestFixtures.key(HOLDER);

            var result = vendor.receive(report(1, "r-1", digest, forger));

            assertThat(result.getFailure().getReason()).isEqualTo(ServiceFailure.Reason.UNAUTHORIZED);
            assertThat(vendorReports.of(DSP_AGREEMENT)).isEmpty();
        }

        @Test
        void receive_aRepeatedRunNumberWithOtherContent_shouldBeRefusedAndLogged() {
            vendor.receive(report(1, "r-1", digest, holderKey));

            var replay = vendor.receive(report(1, "r-1-again", digest, holderKey));

            assertThat(replay.getFailure().getReason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
            assertThat(replay.getFailureDetail()).contains("run 1 of agreement agreement-1 was reported already, with other content");
            assertThat(vendorLog).last().satisfies(entry -> assertThat(entry.outcome()).isEqualTo(DecisionOutcome.DENY));
            assertThat(vendorReports.of(DSP_AGREEMENT)).hasSize(1);
        }

        @Test
        void receive_aRunThatSkipsOne_shouldBeRefused() {
            vendor.receive(report(1, "r-1", digest, holderKey));

            var skip = vendor.receive(report(3, "r-3", digest, holderKey));

            assertThat(skip.getFailureDetail()).isEqualTo("run 3 skips run 2: 1 run reported so far under agreement agreement-1");
            assertThat(vendorReports.of(DSP_AGREEMENT)).hasSize(1);
        }

        @Test
        void receive_anotherModelDigest_shouldBeRefused() {
            vendor.receive(report(1, "r-1", digest, holderKey));

            assertThat(vendor.receive(report(2, "r-2", "cd".repeat(32), holderKey)).getFailure().getReason()).isEqualTo(ServiceFailure.Reason.CONFLICT);
        }

        @Test
        void receive_aRunBeyondTheLimit_shouldBeKeptAsEvidenceAndFlagged() {
            vendor.receive(report(1, "r-1", digest, holderKey));
            vendor.receive(report(2, "r-2", digest, holderKey));

            var beyond = vendor.receive(report(3, "r-3", digest, holderKey));

            assertThat(beyond.getContent().beyondLimit()).isTrue();
            assertThat(vendorLog).last().satisfies(entry -> {
                assertThat(entry.outcome()).isEqualTo(DecisionOutcome.DENY);
                assertThat(entry.reasons().get(0).reason()).contains("beyond the 2 the agreement allows");
            });
        }

        @Test
        void receive_aReportCarryingMore_shouldBeRefused() {
            var payload = new java.util.LinkedHashMap<String, Object>(Map.of("agreementId", DSP_AGREEMENT, "vendorId", VENDOR, "holderId", HOLDER,
                    "assetId", ModelAssetsTestFixtures.MODEL_ASSET, "run", 1, "runId", "r-1", "time", SIGNED.toString(), "modelSha256", digest));
            payload.put("predictions", "m-1,yes");

            var result = vendor.receive(RunReports.sign(payload, holderKey));

            assertThat(result.getFailureDetail()).isEqualTo("the run report holds 'predictions', which a run report does not carry");
        }

        @Test
        void receive_afterARestart_shouldContinueTheCount() {
            vendor.receive(report(1, "r-1", digest, holderKey));
            vendorReports = new FileReceivedRunReports(dir.resolve("vendor/run-reports.jsonl"), ModelAssetsTestFixtures.mapper());
            vendor = vendor(ModelAssetsTestFixtures.inferenceOnly(2));

            assertThat(vendor.receive(report(1, "r-1-again", digest, holderKey)).failed()).isTrue();
            assertThat(vendor.receive(report(2, "r-2", digest, holderKey)).succeeded()).isTrue();
        }
    }
}
