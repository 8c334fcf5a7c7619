package io.kakehashi.ai.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.ai.spi.InMemoryJsonMapper;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobState;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.TreeMap;

/**
 * What the provider pushes to the consumer's sink at the end of a job: the job's end as the provider saw it and, for
 * a completed job, its result.
 * <pre>{@code
 * {"jobId": "<provider's job id>", "state": "COMPLETED", "resultHash": "<sha-256 of the result's canonical form>",
 *  "result": {"kind": "table", "columns": ["region", "machines"], "rows": [["Aichi", 10]]}}
 * {"jobId": "...", "state": "FAILED", "reason": "output guard: a group has fewer than 5 rows"}
 * }</pre>
 * Result kinds: {@code table} (columns, rows), {@code metrics} (values, confusion), {@code model} (onnx in base64,
 * metrics), {@code update} (weights, sampleCount). A failed or cancelled job carries its reason, so the consumer
 * learns it even though a DSP termination message carries none to EDC's consumer. Immutable and thread-safe.
 *
 * @param jobId      the provider's job id, or null when the job was refused before it was stored
 * @param state      COMPLETED, FAILED or CANCELLED
 * @param reason     why it failed or was cancelled
 * @param resultHash the provider's result hash (the one in its job record and decision log)
 * @param result     the result, for a completed job
 */
public record ResultDocument(String jobId, JobState state, String reason, String resultHash, JsonNode result) {

    private static final ObjectMapper MAPPER = InMemoryJsonMapper.create();

    public static byte[] completed(String jobId, String resultHash, JobOutput output) {
        var root = MAPPER.createObjectNode().put("jobId", jobId).put("state", JobState.COMPLETED.name()).put("resultHash", resultHash);
        root.set("result", toJson(output));
        return bytes(root);
    }

    public static byte[] ended(String jobId, JobState state, String reason) {
        var root = MAPPER.createObjectNode();
        if (jobId != null) {
            root.put("jobId", jobId);
        }
        root.put("state", state.name()).put("reason", reason);
        return bytes(root);
    }

    /** Reads a document; anything else is a failure naming what is wrong. */
    public static Result<ResultDocument> parse(byte[] document) {
        JsonNode root;
        try {
            root = MAPPER.readTree(document);
        } catch (IOException e) {
            return Result.failure("the result document is not JSON");
        }
        if (root == null || !root.isObject()) {
            return Result.failure("the result document is not a JSON object");
        }
        JobState state;
        try {
            state = JobState.valueOf(root.path("state").asText());
        } catch (IllegalArgumentException e) {
            return Result.failure("the result document has no final state");
        }
        if (!state.isFinal()) {
            return Result.failure("the result document has no final state");
        }
        var result = root.get("result");
        if (state == JobState.COMPLETED && (result == null || !result.isObject() || !root.path("resultHash").isTextual())) {
            return Result.failure("the result document of a completed job has no result or hash");
        }
        return Result.success(new ResultDocument(text(root, "jobId"), state, text(root, "reason"), text(root, "resultHash"), result));
    }

    /** The model update of a completed federated round. */
    public Result<JobOutput.ModelUpdate> modelUpdate() {
        if (state != JobState.COMPLETED || !"update".equals(result.path("kind").asText())) {
            return Result.failure("the result is not a model update");
        }
        var weights = result.path("weights");
        var samples = result.path("sampleCount");
        if (!weights.isArray() || !samples.canConvertToLong() || samples.asLong() < 0) {
            return Result.failure("the model update has no weights or sample count");
        }
        var values = new double[weights.size()];
        for (var i = 0; i < values.length; i++) {
            if (!weights.get(i).isNumber() || !Double.isFinite(weights.get(i).asDouble())) {
                return Result.failure("weight %d of the model update is not a finite number".formatted(i));
            }
            values[i] = weights.get(i).asDouble();
        }
        return Result.success(new JobOutput.ModelUpdate(values, samples.asLong()));
    }

    static JsonNode toJson(JobOutput output) {
        if (output instanceof JobOutput.Table table) {
            var node = MAPPER.createObjectNode().put("kind", "table");
            table.columns().forEach(node.putArray("columns")::add);
            var rows = node.putArray("rows");
            for (var row : table.rows()) {
                var values = rows.addArray();
                row.forEach(value -> values.add(value(value)));
            }
            return node;
        }
        if (output instanceof JobOutput.Metrics metrics) {
            return metrics(metrics);
        }
        if (output instanceof JobOutput.Model model) {
            var node = MAPPER.createObjectNode().put("kind", "model").put("onnx", Base64.getEncoder().encodeToString(model.onnx()));
            node.set("metrics", metrics(model.metrics()));
            return node;
        }
        var update = (JobOutput.ModelUpdate) output;
        var node = MAPPER.createObjectNode().put("kind", "update").put("sampleCount", update.sampleCount());
        var weights = node.putArray("weights");
        for (var weight : update.weights()) {
            weights.add(weight);
        }
        return node;
    }

    private static ObjectNode metrics(JobOutput.Metrics metrics) {
        var node = MAPPER.createObjectNode().put("kind", "metrics");
        var values = node.putObject("values");
        new TreeMap<>(metrics.values()).forEach(values::put);
        var confusion = node.putObject("confusion");
        new TreeMap<>(metrics.confusion()).forEach((actual, row) -> {
            var predicted = confusion.putObject(actual);
            new TreeMap<String, Long>(row).forEach(predicted::put);
        });
        return node;
    }

    private static JsonNode value(Object value) {
        if (value == null) {
            return MAPPER.nullNode();
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return MAPPER.getNodeFactory().numberNode(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            var number = ((Number) value).doubleValue();
            return Double.isFinite(number) ? MAPPER.getNodeFactory().numberNode(number) : MAPPER.getNodeFactory().textNode(String.valueOf(number));
        }
        if (value instanceof BigDecimal decimal) {
            return MAPPER.getNodeFactory().numberNode(decimal);
        }
        if (value instanceof BigInteger integer) {
            return MAPPER.getNodeFactory().numberNode(integer);
        }
        if (value instanceof Boolean bool) {
            return MAPPER.getNodeFactory().booleanNode(bool);
        }
        // dates, times, UUIDs, intervals: their text
        return MAPPER.getNodeFactory().textNode(String.valueOf(value));
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode root, String name) {
        var node = root.get(name);
        return node == null || node.isNull() ? null : node.asText();
    }
}
