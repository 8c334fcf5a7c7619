package io.kakehashi.core.web.guard;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.Priority;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import org.eclipse.edc.validator.spi.JsonObjectValidatorRegistry;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.web.spi.exception.ValidationFailureException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Checks a JSON object body after EDC's JSON-LD interceptor has expanded it (so a property is found by its IRI, however
 * the caller's {@code @context} named it) and before a resource reads it: every id in it obeys the {@link IdRule}, and
 * each of its types passes the validators registered in EDC's {@link JsonObjectValidatorRegistry} under
 * {@link #validationKey(String)} — the shape checks of messages that EDC's own code would otherwise fail on with a
 * 500. A failure is answered 400 naming the field; the offending value is never echoed. Thread-safe.
 */
@Priority(6000)
public final class ExpandedBodyInterceptor implements ReaderInterceptor {

    private static final String KEY_PREFIX = "kakehashi.request:";

    private final IdRule idRule;
    private final Supplier<ObjectMapper> mapper;
    private final JsonObjectValidatorRegistry validators;

    /**
     * @param mapper     EDC's JSON-LD mapper (it reads JSON-P values), looked up when a body arrives
     * @param validators where the shape checks are registered
     */
    public ExpandedBodyInterceptor(IdRule idRule, Supplier<ObjectMapper> mapper, JsonObjectValidatorRegistry validators) {
        this.idRule = idRule;
        this.mapper = mapper;
        this.validators = validators;
    }

    /** The key a validator of an expanded body of type {@code typeIri} is registered under. */
    public static String validationKey(String typeIri) {
        return KEY_PREFIX + typeIri;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (!JsonObject.class.isAssignableFrom(context.getType())) {
            return context.proceed();
        }
        var body = context.getInputStream().readAllBytes();
        context.setInputStream(new ByteArrayInputStream(body));
        if (body.length == 0) {
            return context.proceed();
        }
        var json = mapper.get().readValue(body, JsonValue.class);
        if (json instanceof JsonObject object) {
            var problems = new ArrayList<String>();
            checkIds(object, "", problems);
            if (!problems.isEmpty()) {
                throw RequestProblem.badRequest(String.join("; ", problems)).exception();
            }
            var result = types(object).stream()
                    .map(type -> validators.validate(validationKey(type), object))
                    .reduce(ValidationResult.success(), ValidationResult::merge);
            if (result.failed()) {
                throw new ValidationFailureException(result.getFailure().getViolations());
            }
        }
        return context.proceed();
    }

    private void checkIds(JsonValue value, String path, List<String> problems) {
        if (value instanceof JsonArray array) {
            array.forEach(element -> checkIds(element, path, problems));
        } else if (value instanceof JsonObject object) {
            for (var entry : object.entrySet()) {
                var key = entry.getKey();
                if (key.equals("@value") || key.equals("@type") || key.equals("@context")) {
                    continue;
                }
                var field = key.equals("@id") ? path.isEmpty() ? "@id" : path + "/@id" : IdRule.localName(key);
                if (IdRule.isIdProperty(key)) {
                    ids(entry.getValue()).forEach(id -> idRule.check(field, id).ifPresent(problems::add));
                }
                checkIds(entry.getValue(), key.startsWith("@") ? path : IdRule.localName(key), problems);
            }
        }
    }

    /** The ids in a property's value, as plain strings or {@code @value}s; an {@code @id} inside is checked as such. */
    private static List<String> ids(JsonValue value) {
        if (value instanceof JsonString string) {
            return List.of(string.getString());
        }
        if (value instanceof JsonArray array) {
            return array.stream().flatMap(element -> ids(element).stream()).toList();
        }
        if (value instanceof JsonObject object) {
            return object.get("@value") instanceof JsonString string ? List.of(string.getString()) : List.of();
        }
        return List.of();
    }

    private static List<String> types(JsonObject object) {
        var type = object.get("@type");
        if (type instanceof JsonString string) {
            return List.of(string.getString());
        }
        if (type instanceof JsonArray array) {
            return array.stream().filter(JsonString.class::isInstance).map(t -> ((JsonString) t).getString()).toList();
        }
        return List.of();
    }
}
