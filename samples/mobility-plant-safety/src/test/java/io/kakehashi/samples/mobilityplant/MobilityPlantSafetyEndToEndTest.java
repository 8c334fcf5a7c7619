package io.kakehashi.samples.mobilityplant;

import io.kakehashi.samples.support.AuditorClient;
import io.kakehashi.samples.support.CompactJws;
import io.kakehashi.samples.support.Sha256;
import io.kakehashi.samples.support.WorkDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

import static io.kakehashi.samples.mobilityplant.MobilityPlantSafetyDataspace.K;
import static io.kakehashi.samples.mobilityplant.MobilityPlantSafetyDataspace.WITHDRAWING_PASSENGER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The second dataspace end to end: its sample run once (four connectors from the launcher jar, each in its own JVM,
 * DSP and gRPC over loopback), then each step's outcome asserted. The steps it printed are in
 * {@code target/e2e/mobility-plant-safety/steps.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("EndToEndTest")
class MobilityPlantSafetyEndToEndTest {

    /** P-001…P-024 consented to analytics by the planner (by membership or by its DID); 24 trips each. */
    private static final int CONSENTED = 24;
    private static final int TRIPS = MobilityPlantSafetyDataspace.TRIPS_PER_PASSENGER;

    private final Path workDir = Path.of("target", "e2e", "mobility-plant-safety");
    private MobilityPlantSafetyDataspace dataspace;
    private MobilityPlantSafetyDataspace.Mobility mobility;
    private MobilityPlantSafetyDataspace.PlantSafety plant;

    @BeforeAll
    void runSample() throws Exception {
        WorkDirectory.clear(workDir);
        var steps = new PrintStream(Files.newOutputStream(Files.createDirectories(workDir).resolve("steps.txt")), true);
        dataspace = new MobilityPlantSafetyDataspace(workDir, steps);
        var outcome = dataspace.run();
        mobility = outcome.mobility();
        plant = outcome.plantSafety();
    }

    @AfterAll
    void stop() {
        if (dataspace != null) {
            dataspace.close();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Mobility {

        @Test
        void aggregates_shouldReadOnlyTheTripsOfPassengersWhoseConsentCoversThePlanner() {
            assertThat(mobility.allTrips()).isEqualTo(MobilityPlantSafetyDataspace.PASSENGERS * TRIPS);
            assertThat(mobility.aggregatedTrips()).isEqualTo(CONSENTED * TRIPS);
            // 5 wards × 4 bands of the day, each ridden by every consenting passenger: k-anonymous over passengers
            assertThat(mobility.aggregateGroups()).isEqualTo(20);
            assertThat(mobility.aggregateFewestPassengers()).isEqualTo(CONSENTED).isGreaterThanOrEqualTo(K);
            // the taxi operator's log says how many were left out and why, never who
            assertThat(mobility.consentReason())
                    .contains("%d of %d records delivered (%d data subjects) for analytics".formatted(CONSENTED * TRIPS, mobility.allTrips(), CONSENTED))
                    .contains(4 * TRIPS + " no consent", 4 * TRIPS + " expired", 4 * TRIPS + " for another purpose", 4 * TRIPS + " for another recipient")
                    .doesNotContain("P-0");
        }

        @Test
        void aggregate_whoseGroupsFallUnderK_shouldBeRefusedWithNothingReleased() {
            assertThat(mobility.refusal()).startsWith("output guard (ai.minAggregation = " + K + "): a group covers ")
                    .contains("(passenger_id); ai.minAggregation requires at least " + K);
            // the fine-grained job and the per-passenger job: both refused, neither result released
            var releases = new AuditorClient(dataspace.taxiSettings().auditorUrl(), dataspace.taxiSettings().auditorKey())
                    .decisions("scope=compute.result&outcome=DENY").path("decisions");
            assertThat(releases).hasSize(2).allSatisfy(decision ->
                    assertThat(decision.at("/entry/counterpartyId").asText()).isEqualTo(dataspace.plannerSettings().did()));
        }

        @Test
        void aggregate_whoseGroupsHoldMoreThanKTripsOfOnePassenger_shouldBeRefusedCountingPassengers() {
            // every group holds 24 trips (≥ k), so a guard counting trips would release each passenger's own mean fare
            assertThat(TRIPS).isGreaterThanOrEqualTo(K);
            assertThat(mobility.perPassengerRefusal()).isEqualTo("output guard (ai.minAggregation = %d): a group covers 1 data subject (passenger_id); "
                    .formatted(K) + "ai.minAggregation requires at least " + K);
        }

        @Test
        void panel_shouldHoldTheTripsOfConsentedPassengersOnly() {
            assertThat(mobility.panelTripsBefore()).isEqualTo(CONSENTED * TRIPS);
            assertThat(mobility.panelPassengers()).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, CONSENTED).mapToObj(TaxiProbeData::passenger).toList());
        }

        @Test
        void withdrawal_shouldDeleteThePassengersTripsAtThePlannerWithAReceiptTheTaxiOperatorVerified() {
            assertThat(mobility.withdrawnPassengerGone()).isTrue();
            assertThat(mobility.panelTripsAfter()).isEqualTo((CONSENTED - 1) * TRIPS);

            var payload = CompactJws.payload(mobility.receipt());
            assertThat(payload.path("cause").asText()).isEqualTo("consent-withdrawn");
            assertThat(payload.path("consumerId").asText()).isEqualTo(dataspace.plannerSettings().did());
            assertThat(payload.path("items")).singleElement().satisfies(item -> assertThat(item.path("deleted").asBoolean()).isTrue());
            assertThat(CompactJws.header(mobility.receipt()).path("kid").asText()).startsWith(dataspace.plannerSettings().did() + "#");

            assertThat(mobility.receiptVerified()).isTrue();
            assertThat(CompactJws.signedBy(mobility.receipt(), dataspace.plannerSettings().did())).isTrue();
            // the same receipt does not pass for the taxi operator's own
            assertThat(CompactJws.signedBy(mobility.receipt(), dataspace.taxiSettings().did())).isFalse();
            assertThat(mobility.providerDeletionReason()).contains("consent-withdrawn", "signature verified");
            assertThat(mobility.consumerDeletionReason()).contains("deleted " + TRIPS + " records of one data subject").doesNotContain(WITHDRAWING_PASSENGER);
            var taxiLog = new AuditorClient(dataspace.taxiSettings().auditorUrl(), dataspace.taxiSettings().auditorKey());
            assertThat(taxiLog.decisions("scope=deletion.receipt").path("decisions")).singleElement().satisfies(decision ->
                    assertThat(decision.at("/entry/counterpartyId").asText()).isEqualTo(dataspace.plannerSettings().did()));
            assertThat(taxiLog.verify().path("intact").asBoolean()).isTrue();
        }

        @Test
        void aggregates_afterTheWithdrawal_shouldLeaveThePassengerOut() {
            assertThat(mobility.aggregatedTripsAfter()).isEqualTo((CONSENTED - 1) * TRIPS);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class PlantSafety {

        @Test
        void training_atTheJapaneseOperator_shouldReturnTheModelRecordedInTheGermanLineage() {
            assertThat(plant.lineageKind()).isEqualTo("MODEL");
            // the verdict follows the generated mechanism: a model that learnt nothing would score the majority verdict's share
            assertThat(plant.accuracy()).isGreaterThan(dataspace.majorityShare() + 0.1);
        }

        @Test
        void model_shouldReachTheJapaneseOperatorWithTheSignedProvenanceItsConnectorKept() {
            assertThat(plant.modelIdentical()).isTrue();
            assertThat(Sha256.of(plant.receivedModel())).isEqualTo(Sha256.of(dataspace.deSettings().directory().resolve("backend").resolve("corrosion-maintenance-model.onnx")));
            assertThat(plant.exporterId()).isEqualTo(dataspace.deSettings().did());
            assertThat(plant.sourceLineageId()).isEqualTo(plant.trainingJobId());
            assertThat(plant.sourceKind()).isEqualTo("MODEL");
            assertThat(plant.sourceSha256()).isEqualTo(plant.lineageSha256());
            assertThat(plant.sourceProviderId()).isEqualTo(dataspace.jpSettings().did());
            assertThat(plant.modelRights()).isEqualTo("joint");
            assertThat(plant.derivedModels()).isEqualTo("keep");
            assertThat(plant.statementSignedByExporter()).isTrue();
        }

        @Test
        void outsiders_shouldBeRefusedTheRecordsAndTheModelWithTheReason() {
            assertThat(plant.outsiderRefusals()).hasSize(2);
            assertThat(plant.outsiderRefusals().get(0)).contains("counterpartyLegalId: consumer is JCN:8000020130001, not lei:*");
            assertThat(plant.outsiderRefusals().get(1)).contains("onwardTransfer: asset '" + MobilityPlantSafetyDataspace.MODEL_ASSET + "' derives from " + plant.trainingJobId())
                    .contains("'" + dataspace.plannerSettings().did() + "' is not among the recipients it may be passed on to");
        }
    }
}
