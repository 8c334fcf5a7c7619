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
 * Issue 20 item 4, the vendor's direction: the vendor's classifier travels as a {@code predict} job to the maker, runs
 * on the maker's machines, and only counts of its predictions per class and region come back — the region with three
 * machines left out under {@code ai.minAggregation gteq 5}, no row's prediction anywhere in the result.
 */
@EndToEndTest
class PredictEndToEndTest {

    private static final Path DIR = directory();
    private static final TestConnector MAKER = new TestConnector("jp-machine-tool-maker", DIR);
    private static final TestConnector VENDOR = new TestConnector("ai-vendor", DIR);

    @RegisterExtension
    static final RuntimeExtension MAKER_RUNTIME = MAKER.runtime();
    @RegisterExtension
    static final RuntimeExtension VENDOR_RUNTIME = VENDOR.runtime();

    private static String inference;

    private static Path directory() {
        try {
            return Files.createDirectories(Path.of("target", "compute-predict-" + UUID.randomUUID()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void negotiate() throws IOException {
        var csv = new StringBuilder("machine,region,temperature\n");
        for (var i = 0; i < 43; i++) {
            csv.append("m").append(i).append(',').append(i < 40 ? "Aichi" : "Okinawa").append(',').append(30 + i).append('\n');
        }
        var file = Files.writeString(DIR.resolve("machines.csv"), csv);
        MAKER.publish("machines-inference", file, List.of(constraint("purpose", "eq", "ai.inference"), constraint("ai.minAggregation", "gteq", "5")));
        inference = VENDOR.negotiate(MAKER, "machines-inference");
    }

    @Test
    void aPredictJob_shouldReturnOnlyCountsOfAtLeastK() {
        var body = MAPPER.createObjectNode().put("agreementId", inference).put("counterPartyAddress", MAKER.dsp()).put("counterPartyId", MAKER.id);
        var job = body.putObject("job").put("type", "predict").put("model", Base64.getEncoder().encodeToString(hotOrNot(49.5f)));
        job.putObject("parameters").put("features", "temperature").put("labels", "normal,hot").put("groupBy", "region");
        var submitted = VENDOR.raw("POST", "/v3/kakehashi/compute/remote-jobs", body.toString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
        var id = ok(submitted).path("id").asText();

        VENDOR.awaitField("/v3/kakehashi/compute/remote-jobs/" + id, "state", "COMPLETED");
        var result = VENDOR.get("/v3/kakehashi/compute/remote-jobs/" + id + "/result").path("result");

        assertThat(result.path("columns").toString()).isEqualTo("[\"prediction\",\"region\",\"rows\"]");
        // Aichi: temperatures 30–69, so 20 normal (below 49.5) and 20 hot; Okinawa's three machines are left out
        assertThat(result.path("rows").toString()).isEqualTo("[[\"hot\",\"Aichi\",20],[\"normal\",\"Aichi\",20]]");
        assertThat(result.toString()).doesNotContain("Okinawa").doesNotContain("m4");
    }

    /** A classifier of one feature: scores [threshold − t, t − threshold], so "hot" wins above the threshold. */
    private static byte[] hotOrNot(float threshold) {
        var floatType = OnnxMl.TensorProto.DataType.FLOAT.getNumber();
        var w = OnnxMl.TensorProto.newBuilder().setName("W").setDataType(floatType).addDims(1).addDims(2).addFloatData(-1f).addFloatData(1f);
        var b = OnnxMl.TensorProto.newBuilder().setName("B").setDataType(floatType).addDims(2).addFloatData(threshold).addFloatData(-threshold);
        var graph = OnnxMl.GraphProto.newBuilder().setName("hot-or-not").addInitializer(w).addInitializer(b)
                .addInput(tensor("input", 1)).addOutput(tensor("scores", 2))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").addInput("input").addInput("W").addOutput("product"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Add").addInput("product").addInput("B").addOutput("scores"));
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("kakehashi-test")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(graph).build().toByteArray();
    }

    private static OnnxMl.ValueInfoProto tensor(String name, long columns) {
        var shape = OnnxMl.TensorShapeProto.newBuilder().addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("n"))
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(columns));
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }
}
