package io.kakehashi.ai.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a consumer asks a provider to compute: the job type, its parameters (e.g. {@code query}, {@code label},
 * {@code epsilon}) and, for an evaluation or a federated round, a model (ONNX bytes or serialized weights). The asset
 * is always the agreement's. Immutable and thread-safe; the model bytes are copied in and out.
 */
public final class JobDescription {

    private final JobType type;
    private final Map<String, String> parameters;
    private final byte[] model;

    public JobDescription(JobType type, Map<String, String> parameters, byte[] model) {
        this.type = Objects.requireNonNull(type, "type");
        this.parameters = Map.copyOf(Objects.requireNonNull(parameters, "parameters"));
        this.model = model == null ? null : model.clone();
    }

    public static JobDescription of(JobType type, Map<String, String> parameters) {
        return new JobDescription(type, parameters, null);
    }

    public JobType type() {
        return type;
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    public Optional<byte[]> model() {
        return Optional.ofNullable(model).map(byte[]::clone);
    }

    /**
     * SHA-256 over a canonical form of the type and the parameters (sorted by name, each name and value
     * length-prefixed so no two descriptions share a form); the model is hashed separately ({@link #modelHash()}).
     */
    public String descriptionHash() {
        var canonical = new StringBuilder("kakehashi-job-v1\n").append(type.policyName()).append('\n');
        new TreeMap<>(parameters).forEach((name, value) -> canonical
                .append(name.length()).append(':').append(name)
                .append(value.length()).append(':').append(value).append('\n'));
        return Sha256.hex(canonical.toString());
    }

    /** SHA-256 of the model bytes, if the job carries a model. */
    public Optional<String> modelHash() {
        return Optional.ofNullable(model).map(Sha256::hex);
    }
}
