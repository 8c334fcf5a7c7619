package io.kakehashi.ai.ml;

import ai.onnx.proto.OnnxMl;

/** Builds a linear ONNX model by hand (input [n, f] · W + b → output [n, 1]) for tests. */
final class LinearOnnxModel {

    private LinearOnnxModel() {
    }

    static byte[] of(float[] weights, float bias) {
        var floatType = OnnxMl.TensorProto.DataType.FLOAT.getNumber();
        var w = OnnxMl.TensorProto.newBuilder().setName("W").setDataType(floatType).addDims(weights.length).addDims(1);
        for (var weight : weights) {
            w.addFloatData(weight);
        }
        var b = OnnxMl.TensorProto.newBuilder().setName("B").setDataType(floatType).addDims(1).addFloatData(bias);
        var graph = OnnxMl.GraphProto.newBuilder().setName("linear")
                .addInitializer(w).addInitializer(b)
                .addInput(tensor("input", -1, weights.length))
                .addOutput(tensor("output", -1, 1))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").addInput("input").addInput("W").addOutput("product"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Add").addInput("product").addInput("B").addOutput("output"));
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("kakehashi-test")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph).build().toByteArray();
    }

    private static OnnxMl.ValueInfoProto tensor(String name, long rows, long columns) {
        var shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(rows < 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("n") : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(rows))
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(columns));
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
                .build();
    }
}
