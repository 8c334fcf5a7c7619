package io.kakehashi.ai.models;

import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.ai.spi.TabularAsset;
import jakarta.ws.rs.core.Response;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.result.ServiceResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;

import static io.kakehashi.ai.models.ModelAssetsTestFixtures.DSP_AGREEMENT;
import static io.kakehashi.ai.models.ModelAssetsTestFixtures.HOLDER;
import static io.kakehashi.ai.models.ModelAssetsTestFixtures.SIGNED;
import static io.kakehashi.ai.models.ModelAssetsTestFixtures.VENDOR;
import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP shapes: the holder's runs and the vendor's reports on the management API, the reports' protocol endpoint. */
class ModelsApiControllerTest {

    private static final String LOCAL = "local-1";

    @TempDir
    Path dir;
    private final ECKey holderKey = ModelAssetsTestFixtures.key(HOLDER);
    private ModelsApiController holderApi;
    private ModelsApiController vendorApi;
    private RunReportsController vendorProtocol;

    @BeforeEach
    void connectors() throws Exception {
        var mapper = ModelAssetsTestFixtures.mapper();
        var data = ModelAssetsTestFixtures.machineCsv(dir.resolve("machines.csv"), 50, 3);
        // vendor
        var vendorAgreement = ModelAssetsTestFixtures.agreement("vendor-local", ModelAssetsTestFixtures.inferenceOnly(1));
        var reports = new FileReceivedRunReports(dir.resolve("vendor/reports.jsonl"), mapper);
        var receiver = new RunReportReceiver(VENDOR, id -> DSP_AGREEMENT.equals(id) ? vendorAgreement : null,
                (participant, keyId) -> Result.success(holderKey.toPublicJWK()), reports, null, Clock.systemUTC());
        vendorProtocol = new RunReportsController(receiver);
        vendorApi = new ModelsApiController(() -> null, null, null, reports, id -> OptionalLong.of(1), id -> DSP_AGREEMENT, mapper);
        // holder
        var agreement = ModelAssetsTestFixtures.agreement(LOCAL, ModelAssetsTestFixtures.inferenceOnly(1));
        var store = new SealedModelStore(dir.resolve("holder/models"), mapper);
        store.seal(agreement, "http://127.0.0.1:1/protocol", Files.write(dir.resolve("m.onnx"), ModelAssetsTestFixtures.vendorModel(dir)), SIGNED);
        var clock = Clock.fixed(SIGNED.plus(Duration.ofDays(1)), ZoneOffset.UTC);
        var runs = new ModelRuns(HOLDER, id -> LOCAL.equals(id) || DSP_AGREEMENT.equals(id) ? agreement : null, store, ModelAssetsTestFixtures.engine(clock),
                null, id -> "machines".equals(id) ? Result.success(new TabularAsset(data, TabularAsset.Format.CSV)) : Result.failure("the asset is unknown"),
                dir.resolve("holder/predictions"), () -> holderKey, (model, report) -> {
                    var answer = vendorProtocol.receive(new ByteArrayInputStream(mapper.createObjectNode().put("report", report).toString()
                            .getBytes(StandardCharsets.UTF_8)));
                    return answer.getStatus() == 200 ? Result.success() : Result.failure("answered " + answer.getStatus());
                }, Runnable::run, clock, 64L << 20, mapper);
        holderApi = new ModelsApiController(() -> new SealedModelIntake(HOLDER, id -> null, store, r -> ServiceResult.success("t"), clock, null),
                store, runs, null, id -> OptionalLong.empty(), id -> id, mapper);
    }

    @Test
    void run_thenOverTheLimit_shouldAnswer201Then403WithTheReason_andTheVendorShowsOneRun() {
        var first = holderApi.run(DSP_AGREEMENT, "{\"assetId\": \"machines\", \"idColumn\": \"id\"}");
        var second = holderApi.run(DSP_AGREEMENT, "{\"assetId\": \"machines\"}");

        assertThat(first.getStatus()).isEqualTo(201);
        assertThat(((ModelRun) first.getEntity()).reported()).isTrue();
        assertThat(second.getStatus()).isEqualTo(403);
        assertThat((String) second.getEntity()).contains("ai.inferenceRuns: 1 run of the model used of 1 allowed");
        var shown = vendorApi.reports(DSP_AGREEMENT);
        assertThat(shown).singleElement().satisfies(view -> {
            assertThat(view).containsEntry("runs", 1).containsEntry("limit", 1L).containsEntry("beyondLimit", 0L);
            assertThat((List<?>) view.get("reports")).hasSize(1);
        });
    }

    @Test
    void run_withBadInput_shouldAnswer400Or404SayingWhat() {
        assertThat(status(holderApi.run(DSP_AGREEMENT, "not json"))).isEqualTo(400);
        assertThat(holderApi.run(DSP_AGREEMENT, "{\"assetId\": \"machines\", \"weights\": \"please\"}").getEntity().toString())
                .contains("'weights' is not one of [assetId, features, idColumn, labels]");
        assertThat(status(holderApi.run(DSP_AGREEMENT, "{\"features\": [\"temperature\"]}"))).isEqualTo(400);
        assertThat(status(holderApi.run(DSP_AGREEMENT, "{\"assetId\": \"machines\", \"labels\": [1, 2]}"))).isEqualTo(400);
        assertThat(status(holderApi.run("unknown", "{\"assetId\": \"machines\"}"))).isEqualTo(404);
        assertThat(status(holderApi.runs("unknown"))).isEqualTo(404);
    }

    @Test
    void models_shouldListDigestsNotWeights() {
        assertThat(holderApi.models()).singleElement().satisfies(model -> assertThat(model.sha256()).hasSize(64));
    }

    @Test
    void reports_withBadBodies_shouldAnswer400And413() {
        assertThat(vendorProtocol.receive(body("{\"report\": 1}")).getStatus()).isEqualTo(400);
        assertThat(vendorProtocol.receive(body("{\"report\": \"a.b.c\"}")).getStatus()).isEqualTo(400);
        assertThat(vendorProtocol.receive(body("{\"report\": \"" + "a".repeat(70_000) + "\"}")).getStatus()).isEqualTo(413);
    }

    private static ByteArrayInputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static int status(Response response) {
        return response.getStatus();
    }
}
