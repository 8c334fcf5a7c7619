package io.kakehashi.ai.models;

import jakarta.json.Json;
import org.eclipse.edc.connector.controlplane.asset.spi.domain.Asset;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferRequest;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.result.ServiceResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kakehashi.ai.models.ModelAssetsTestFixtures.DSP_AGREEMENT;
import static io.kakehashi.ai.models.ModelAssetsTestFixtures.HOLDER;
import static org.assertj.core.api.Assertions.assertThat;

/** The sealed store and what keeps its weights inside the connector: the intake, and the refused assets and transfers. */
class SealedModelTest {

    private static final String LOCAL = "holder-local-1";

    @TempDir
    Path dir;
    private SealedModelStore store;
    private final List<TransferRequest> requested = new ArrayList<>();
    private SealedModelIntake intake;
    private final org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement agreement =
            ModelAssetsTestFixtures.agreement(LOCAL, ModelAssetsTestFixtures.inferenceOnly(3));

    @BeforeEach
    void store() {
        store = new SealedModelStore(dir.resolve("models"), ModelAssetsTestFixtures.mapper());
        intake = new SealedModelIntake(HOLDER, id -> LOCAL.equals(id) || DSP_AGREEMENT.equals(id) ? agreement : null, store, request -> {
            requested.add(request);
            return ServiceResult.success(request.getId());
        }, Clock.systemUTC(), new ConsoleMonitor());
    }

    private TransferProcess completedPull(TransferRequest request) {
        return TransferProcess.Builder.newInstance().id(request.getId()).type(TransferProcess.Type.CONSUMER).transferType(request.getTransferType())
                .contractId(request.getContractId()).counterPartyAddress(request.getCounterPartyAddress())
                .privateProperties(request.getPrivateProperties()).build();
    }

    @Nested
    class Intake {

        @Test
        void request_shouldPullIntoTheStoreAndSealOnCompletion() throws Exception {
            var model = ModelAssetsTestFixtures.vendorModel(dir);

            var started = intake.request(DSP_AGREEMENT, "https://vendor.example/protocol/2025-1");

            assertThat(started.succeeded()).isTrue();
            var request = requested.get(0);
            assertThat(request.getTransferType()).isEqualTo("GrpcStream-PULL");
            assertThat(request.getContractId()).isEqualTo(LOCAL);
            var destination = Path.of((String) request.getPrivateProperties().get("https://w3id.org/kakehashi/transfer/destinationPath"));
            assertThat(store.holds(destination)).isTrue();
            Files.createDirectories(destination.getParent());
            Files.write(destination, model);

            intake.completed(completedPull(request));

            var sealed = store.find(LOCAL).orElseThrow();
            assertThat(sealed.sha256()).isEqualTo(io.kakehashi.ai.spi.Sha256.hex(model));
            assertThat(sealed.vendorAddress()).isEqualTo("https://vendor.example/protocol/2025-1");
            assertThat(sealed.features()).containsExactly("temperature", "vibration", "spindle_hours");
            assertThat(sealed.labels()).hasSize(2);
            assertThat(destination).isEqualTo(store.home(LOCAL).resolve(SealedModelStore.MODEL));
            assertThat(Files.getPosixFilePermissions(store.home(LOCAL).resolve(SealedModelStore.MODEL)))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(Files.getPosixFilePermissions(store.directory())).doesNotContain(PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_READ);
            assertThat(intake.request(DSP_AGREEMENT, "https://vendor.example/protocol/2025-1").getFailure().getReason())
                    .isEqualTo(org.eclipse.edc.spi.result.ServiceFailure.Reason.CONFLICT);
        }

        @Test
        void completed_whenWhatArrivedIsNoModel_shouldSealNothing() throws Exception {
            intake.request(DSP_AGREEMENT, "https://vendor.example/protocol/2025-1");
            var request = requested.get(0);
            var destination = Path.of((String) request.getPrivateProperties().get("https://w3id.org/kakehashi/transfer/destinationPath"));
            Files.createDirectories(destination.getParent());
            Files.writeString(destination, "not,an,onnx,model");

            intake.completed(completedPull(request));

            assertThat(store.find(LOCAL)).isEmpty();
            assertThat(destination).doesNotExist();
            assertThat(intake.request(DSP_AGREEMENT, "https://vendor.example/protocol/2025-1").succeeded()).isTrue();
        }

        @Test
        void request_underAnotherConnectorsAgreement_shouldBeABadRequest() {
            assertThat(intake.request("unknown", "https://vendor.example/protocol/2025-1").getFailureDetail()).startsWith("agreementId:");
            assertThat(intake.request(DSP_AGREEMENT, "file:///etc/passwd").getFailureDetail()).startsWith("counterPartyAddress:");
            assertThat(requested).isEmpty();
        }
    }

    @Nested
    class Guards {

        private jakarta.json.JsonObject asset(String key, String value) {
            return Json.createObjectBuilder().add(Asset.EDC_ASSET_DATA_ADDRESS, Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add(key, Json.createArrayBuilder().add(Json.createObjectBuilder().add("@value", value))))).build();
        }

        @Test
        void assets_namingTheStore_shouldBeRefused() throws Exception {
            var guard = SealedModelGuards.assets(store);
            var inside = store.directory().resolve("abc/model.onnx");
            var link = Files.createSymbolicLink(dir.resolve("innocent.onnx"), store.directory());

            assertThat(guard.validate(asset("https://w3id.org/edc/v0.0.1/ns/path", inside.toString())).failed()).isTrue();
            assertThat(guard.validate(asset("https://w3id.org/edc/v0.0.1/ns/baseUrl", inside.toUri().toString())).failed()).isTrue();
            assertThat(guard.validate(asset("https://w3id.org/edc/v0.0.1/ns/path", dir.resolve("x/../models/abc").toString())).failed()).isTrue();
            assertThat(guard.validate(asset("https://w3id.org/edc/v0.0.1/ns/path", link.toString())).failed()).isTrue();
            assertThat(guard.validate(asset("https://w3id.org/edc/v0.0.1/ns/path", dir.resolve("machines.csv").toString())).succeeded()).isTrue();
            assertThat(guard.validate(asset("https://w3id.org/edc/v0.0.1/ns/baseUrl", "https://backend.example/data.csv")).succeeded()).isTrue();
        }

        @Test
        void transferRequests_underAnInferenceOnlyAgreement_shouldBeRefused() {
            var plain = ModelAssetsTestFixtures.agreement("plain", org.eclipse.edc.policy.model.Policy.Builder.newInstance().build());
            var guard = SealedModelGuards.transferRequests(id -> Map.of(LOCAL, agreement, "plain", plain).get(id));

            var refused = guard.validate(Json.createObjectBuilder().add(TransferRequest.TRANSFER_REQUEST_CONTRACT_ID,
                    Json.createArrayBuilder().add(Json.createObjectBuilder().add("@value", LOCAL))).build());

            assertThat(refused.failed()).isTrue();
            assertThat(refused.getFailureMessages().get(0)).contains("is for inference only (ai.inferenceRuns)");
            assertThat(guard.validate(Json.createObjectBuilder().add(TransferRequest.TRANSFER_REQUEST_CONTRACT_ID,
                    Json.createArrayBuilder().add(Json.createObjectBuilder().add("@value", "plain"))).build()).succeeded()).isTrue();
        }

        @Test
        void sealedModels_shouldNeverShowTheirWeights() throws Exception {
            var received = Files.write(dir.resolve("received.onnx"), ModelAssetsTestFixtures.vendorModel(dir));
            store.seal(agreement, "https://vendor.example/protocol/2025-1", received, java.time.Instant.now());

            var json = ModelAssetsTestFixtures.mapper().writeValueAsString(store.list());

            assertThat(Set.of(SealedModel.class.getRecordComponents()).stream().map(c -> (Object) c.getType()).toList()).doesNotContain(byte[].class);
            assertThat(json).contains("\"sha256\"").doesNotContain("onnx\":").hasSizeLessThan(2_000);
        }
    }
}
