package io.kakehashi.ai.ml;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import org.eclipse.edc.spi.result.Result;

/**
 * Checks a vendor's ONNX model before ONNX Runtime loads it: it must parse as an ONNX {@code ModelProto}, have a graph,
 * and keep every tensor inside the model. A tensor with external data names a file that ONNX Runtime would read as
 * weights — a way for a model to read the provider's files — so such a model is refused, in the main graph and in
 * every subgraph. Stateless and thread-safe.
 */
final class OnnxModelCheck {

    private OnnxModelCheck() {
    }

    /**
     * The ONNX model a job description carries, present and at most {@code maxModelBytes} long; a failure names the
     * {@code model} parameter and says what is wrong ({@code job}: "a predict job", "an evaluation job").
     */
    static Result<byte[]> given(java.util.Optional<byte[]> model, int maxModelBytes, String job) {
        if (model.isEmpty() || model.get().length == 0) {
            return Result.failure("model: %s needs the ONNX model".formatted(job));
        }
        if (model.get().length > maxModelBytes) {
            return Result.failure("model: larger than %d bytes".formatted(maxModelBytes));
        }
        return Result.success(model.get());
    }

    static Result<OnnxMl.ModelProto> check(byte[] bytes) {
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return Result.failure("the model is not a valid ONNX model");
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            return Result.failure("the model is not a valid ONNX model: it has no graph");
        }
        return external(model.getGraph()) ? Result.failure("the model refers to external data files; only self-contained models are evaluated")
                : Result.success(model);
    }

    private static boolean external(OnnxMl.GraphProto graph) {
        for (var tensor : graph.getInitializerList()) {
            if (external(tensor)) {
                return true;
            }
        }
        for (var node : graph.getNodeList()) {
            for (var attribute : node.getAttributeList()) {
                if (attribute.hasT() && external(attribute.getT())) {
                    return true;
                }
                for (var tensor : attribute.getTensorsList()) {
                    if (external(tensor)) {
                        return true;
                    }
                }
                if (attribute.hasG() && external(attribute.getG())) {
                    return true;
                }
                for (var subgraph : attribute.getGraphsList()) {
                    if (external(subgraph)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean external(OnnxMl.TensorProto tensor) {
        return tensor.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL || tensor.getExternalDataCount() > 0;
    }
}
