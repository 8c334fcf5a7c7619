package io.kakehashi.ai.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.edc.spi.result.Result;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Set;

/**
 * The JSON form of a job description, as a consumer submits it and as it travels to the provider:
 * <pre>{@code {"type": "sql", "parameters": {"query": "SELECT …"}, "model": "<base64, optional>"}}</pre>
 * Parameters are strings; anything else, an unknown type or member, or a model that is not base64 is refused with
 * a reason. Stateless and thread-safe.
 */
public final class JobDescriptionJson {

    /** Room in a job description's JSON for everything but the model: its type, parameters and punctuation. */
    public static final int ALLOWANCE_BESIDES_MODEL = 1 << 20;
    private static final ObjectMapper MAPPER = InMemoryJsonMapper.create();
    private static final Set<String> MEMBERS = Set.of("type", "parameters", "model");

    private JobDescriptionJson() {
    }

    public static Result<JobDescription> parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return Result.failure("job description: not JSON");
        }
        if (root == null || !root.isObject()) {
            return Result.failure("job description: must be a JSON object");
        }
        for (var names = root.fieldNames(); names.hasNext(); ) {
            var name = names.next();
            if (!MEMBERS.contains(name)) {
                return Result.failure("job description: unknown member '%s'".formatted(name));
            }
        }
        var type = root.path("type");
        var jobType = type.isTextual() ? JobType.fromPolicyName(type.asText()) : java.util.Optional.<JobType>empty();
        if (jobType.isEmpty()) {
            return Result.failure("job description: type must be one of sql, training, evaluation, fl-round");
        }
        var parameters = new LinkedHashMap<String, String>();
        var given = root.path("parameters");
        if (!given.isMissingNode()) {
            if (!given.isObject()) {
                return Result.failure("job description: parameters must be an object of strings");
            }
            for (var fields = given.fields(); fields.hasNext(); ) {
                var field = fields.next();
                if (!field.getValue().isTextual()) {
                    return Result.failure("job description: parameter '%s' must be a string".formatted(field.getKey()));
                }
                parameters.put(field.getKey(), field.getValue().asText());
            }
        }
        byte[] model = null;
        var encoded = root.path("model");
        if (!encoded.isMissingNode() && !encoded.isNull()) {
            try {
                model = Base64.getDecoder().decode(encoded.asText());
            } catch (IllegalArgumentException e) {
                return Result.failure("job description: model must be base64");
            }
        }
        return Result.success(new JobDescription(jobType.get(), parameters, model));
    }

    /**
     * The longest JSON of a job description that carries a model of at most {@code maxModelBytes}: the model's base64
     * and {@link #ALLOWANCE_BESIDES_MODEL}. A connector's JSON readers must take strings this long, since the
     * description travels as one string in the transfer's destination.
     */
    public static long maxChars(long maxModelBytes) {
        return base64Chars(maxModelBytes) + ALLOWANCE_BESIDES_MODEL;
    }

    /** The length of the base64 (with padding) of so many bytes. */
    public static long base64Chars(long bytes) {
        return (bytes + 2) / 3 * 4;
    }

    public static String write(JobDescription description) {
        ObjectNode root = MAPPER.createObjectNode().put("type", description.type().policyName());
        var parameters = root.putObject("parameters");
        new java.util.TreeMap<>(description.parameters()).forEach(parameters::put);
        description.model().ifPresent(model -> root.put("model", Base64.getEncoder().encodeToString(model)));
        return root.toString();
    }
}
