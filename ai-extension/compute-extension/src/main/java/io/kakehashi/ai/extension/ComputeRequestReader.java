package io.kakehashi.ai.extension;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.eclipse.edc.jsonld.spi.JsonLd;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.transform.spi.TypeTransformerRegistry;
import org.eclipse.edc.validator.spi.JsonObjectValidatorRegistry;
import org.eclipse.edc.web.spi.exception.InvalidRequestException;
import org.eclipse.edc.web.spi.exception.ValidationFailureException;

import java.io.StringReader;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reads a request body of the compute API in either of its forms. A JSON object with {@code @context} is JSON-LD:
 * expanded by EDC's {@link JsonLd}, validated by the validators registered for its type in the
 * {@link JsonObjectValidatorRegistry} (a 400 naming each bad member), then transformed to the request type through the
 * {@link TypeTransformerRegistry}. Any other body is the plain form, the alias kept for existing clients, read by the
 * request type's plain reader. Whatever is wrong is an EDC 400 (an error list saying what), never a 500. Thread-safe.
 */
public final class ComputeRequestReader {

    private final JsonLd jsonLd;
    private final JsonObjectValidatorRegistry validators;
    private final TypeTransformerRegistry transformers;

    private final Map<String, Function<String, ? extends Result<?>>> plainReaders = new ConcurrentHashMap<>();

    public ComputeRequestReader(JsonLd jsonLd, JsonObjectValidatorRegistry validators, TypeTransformerRegistry transformers) {
        this.jsonLd = jsonLd;
        this.validators = validators;
        this.transformers = transformers;
    }

    /**
     * Registers a request: its shape as the validator of its {@code @type}, the transformer from its expanded form to
     * {@code target}, and its plain form's reader (the one reader of the request's meaning). Once per type.
     */
    public <T> void register(ComputeRequestShape shape, Class<T> target, Function<String, Result<T>> plain) {
        if (plainReaders.putIfAbsent(shape.type(), plain) != null) {
            throw new IllegalStateException("compute request %s is registered already".formatted(shape.type()));
        }
        validators.register(shape.type(), shape);
        transformers.register(new JsonObjectToComputeRequestTransformer<>(target, shape, plain));
    }

    /**
     * @param type the expanded {@code @type} the JSON-LD form must have, as {@link #register registered}
     * @throws InvalidRequestException    for a body that is not JSON, not JSON-LD that expands, or not a valid request
     * @throws ValidationFailureException for a JSON-LD request a validator refuses
     */
    public <T> T read(String body, String type, Class<T> target) {
        var plainReader = plainReaders.get(type);
        if (plainReader == null) {
            throw new IllegalStateException("compute request %s is not registered".formatted(type));
        }
        if (!ComputeJsonLd.isJsonLd(body)) {
            var plain = plainReader.apply(body);
            if (plain.failed()) {
                throw new InvalidRequestException(plain.getFailureDetail());
            }
            return target.cast(plain.getContent());
        }
        JsonObject compacted;
        try (var reader = Json.createReader(new StringReader(body))) {
            compacted = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new InvalidRequestException("the body is not JSON");
        }
        Result<JsonObject> expanded;
        try {
            expanded = jsonLd.expand(compacted);
        } catch (RuntimeException e) {
            expanded = Result.failure(String.valueOf(e.getMessage()));
        }
        if (expanded.failed()) {
            throw new InvalidRequestException("the body is not JSON-LD that expands: " + expanded.getFailureDetail());
        }
        var object = expanded.getContent();
        if (object == null || object.equals(JsonValue.EMPTY_JSON_OBJECT)) {
            throw new InvalidRequestException("the body expands to nothing: name its @type and its members with the compute context");
        }
        var valid = validators.validate(type, object);
        if (valid.failed()) {
            throw new ValidationFailureException(valid.getFailure().getViolations());
        }
        var transformed = transformers.transform(object, target);
        if (transformed.failed()) {
            throw new InvalidRequestException(transformed.getFailureMessages());
        }
        return transformed.getContent();
    }

    /** Reads an optional body: an empty one is {@code none}. */
    public <T> T readOptional(String body, String type, Class<T> target, T none) {
        return body == null || body.isBlank() ? none : read(body, type, target);
    }
}
