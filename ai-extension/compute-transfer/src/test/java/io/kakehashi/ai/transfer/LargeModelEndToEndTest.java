package io.kakehashi.ai.transfer;

import ai.onnx.proto.OnnxMl;
import org.eclipse.edc.junit.annotations.EndToEndTest;
import org.eclipse.edc.junit.extensions.RuntimeExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static io.kakehashi.ai.transfer.TestConnector.MAPPER;
import static io.kakehashi.ai.transfer.TestConnector.constraint;
import static io.kakehashi.ai.transfer.TestConnector.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, defect 8: an evaluation job whose ONNX model is larger than the 20,000,000 characters Jackson reads in
 * one string by default (16 MiB is about 22.4 million base64 characters) travels from the vendor's management API
 * over DSP to the maker and runs; a model of exactly {@code kakehashi.ai.evaluation.max-model-bytes} does too, and a
 * model one byte larger is refused by the vendor with a 400 naming the setting. The limit is set to 24 MiB here (above
 * Jackson's default string length once in base64, below the default 64 MiB to keep the test's memory modest).
 */
@EndToEndTest
class LargeModelEndToEndTest {

    private static final int LIMIT = 24 << 20;
    private static final Path DIR = directory();
    private static final TestConnector MAKER = new TestConnector("jp-machine-tool-maker", DIR)
            .with("kakehashi.ai.evaluation.max-model-bytes", String.valueOf(LIMIT));
    private static final TestConnector VENDOR = new TestConnector("ai-vendor", DIR)
            .with("kakehashi.ai.evaluation.max-model-bytes", String.valueOf(LIMIT));

    @RegisterExtension
    static final RuntimeExtension MAKER_RUNTIME = MAKER.runtime();
    @RegisterExtension
    static final RuntimeExtension VENDOR_RUNTIME = VENDOR.runtime();

    private static String evaluationOnly;

    private static Path directory() {
        try {
            return Files.createDirectories(Path.of("target", "compute-large-" + UUID.randomUUID()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void negotiate() throws IOException {
        var csv = new StringBuilder("machine,temperature,wear\n");
        for (var i = 0; i < 30; i++) {
            csv.append("m").append(i).append(',').append(40 + i).append(',').append(2 * (40 + i) + 1).append('\n');
        }
        var file = Files.writeString(DIR.resolve("machines.csv"), csv);
        MAKER.publish("machines-evaluation", file, List.of(constraint("purpose", "eq", "ai.evaluation")));
        evaluationOnly = VENDOR.negotiate(MAKER, "machines-evaluation");
    }

    @Test
    void aModelOf16MiB_shouldTravelAndBeEvaluated() {
        var job = VENDOR.awaitField("/v3/kakehashi/compute/remote-jobs/" + submitted(model(16 << 20)), "state", "COMPLETED");

        assertThat(job.path("modelHash").asText()).isNotBlank();
    }

    @Test
    void aModelOfExactlyTheLimit_shouldTravelAndBeEvaluated() {
        var id = submitted(model(LIMIT));

        VENDOR.awaitField("/v3/kakehashi/compute/remote-jobs/" + id, "state", "COMPLETED");
        var result = VENDOR.get("/v3/kakehashi/compute/remote-jobs/" + id + "/result");
        // wear = 2·temperature + 1, exactly what the model computes
        assertThat(result.path("result").path("values").path("rmse").asDouble()).isLessThan(1e-3);
    }

    @Test
    void aModelOneByteOverTheLimit_shouldBeRefusedWithTheLimitAndStoreNothing() {
        var before = VENDOR.get("/v3/kakehashi/compute/remote-jobs").size();

        var response = submit(model(LIMIT + 1));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("kakehashi.ai.evaluation.max-model-bytes").contains(String.valueOf(LIMIT));
        assertThat(VENDOR.get("/v3/kakehashi/compute/remote-jobs").size()).isEqualTo(before);
    }

    private static String submitted(byte[] model) {
        var response = submit(model);
        assertThat(response.statusCode()).as(response.body().substring(0, Math.min(500, response.body().length()))).isEqualTo(201);
        return ok(response).path("id").asText();
    }

    /** Submits the job as written here: the test's own mapper would not read the model back either. */
    private static java.net.http.HttpResponse<String> submit(byte[] model) {
        var body = MAPPER.createObjectNode().put("agreementId", evaluationOnly).put("counterPartyAddress", MAKER.dsp()).put("counterPartyId", MAKER.id);
        var job = body.putObject("job").put("type", "evaluation").put("model", Base64.getEncoder().encodeToString(model));
        job.putObject("parameters").put("features", "temperature").put("label", "wear").put("task", "regression");
        return VENDOR.raw("POST", "/v3/kakehashi/compute/remote-jobs", body.toString());
    }

    /** A linear ONNX model (wear = 2·temperature + 1) padded with a metadata entry to exactly {@code size} bytes. */
    static byte[] model(int size) {
        var padding = 0;
        for (var attempt = 0; attempt < 10; attempt++) {
            var bytes = linear(padding);
            if (bytes.length == size) {
                return bytes;
            }
            padding += size - bytes.length;
        }
        throw new IllegalStateException("cannot pad a model to " + size + " bytes");
    }

    private static byte[] linear(int padding) {
        var floatType = OnnxMl.TensorProto.DataType.FLOAT.getNumber();
        var w = OnnxMl.TensorProto.newBuilder().setName("W").setDataType(floatType).addDims(1).addDims(1).addFloatData(2f);
        var b = OnnxMl.TensorProto.newBuilder().setName("B").setDataType(floatType).addDims(1).addFloatData(1f);
        var graph = OnnxMl.GraphProto.newBuilder().setName("linear")
                .addInitializer(w).addInitializer(b)
                .addInput(tensor("input")).addOutput(tensor("output"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").addInput("input").addInput("W").addOutput("product"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Add").addInput("product").addInput("B").addOutput("output"));
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("kakehashi-test")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey("padding").setValue("p".repeat(Math.max(0, padding))))
                .setGraph(graph).build().toByteArray();
    }

    private static OnnxMl.ValueInfoProto tensor(String name) {
        var shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("n"))
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1));
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
                .build();
    }
}
