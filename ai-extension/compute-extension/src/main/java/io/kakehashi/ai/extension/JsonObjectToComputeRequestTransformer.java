package io.kakehashi.ai.extension;

import jakarta.json.JsonObject;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.transform.spi.TransformerContext;
import org.eclipse.edc.transform.spi.TypeTransformer;

import java.util.function.Function;

/**
 * Turns an expanded JSON-LD request of the compute API into its request type: the {@link ComputeRequestShape} gives it
 * in the plain form, and the request type's one reader ({@code plainReader}: ranges, URLs, job types, model size)
 * makes the request, or reports what is wrong. Stateless; thread-safe.
 *
 * @param <T> the request type
 */
public final class JsonObjectToComputeRequestTransformer<T> implements TypeTransformer<JsonObject, T> {

    private final Class<T> outputType;
    private final ComputeRequestShape shape;
    private final Function<String, Result<T>> plainReader;

    public JsonObjectToComputeRequestTransformer(Class<T> outputType, ComputeRequestShape shape, Function<String, Result<T>> plainReader) {
        this.outputType = outputType;
        this.shape = shape;
        this.plainReader = plainReader;
    }

    @Override
    public Class<JsonObject> getInputType() {
        return JsonObject.class;
    }

    @Override
    public Class<T> getOutputType() {
        return outputType;
    }

    @Override
    public T transform(JsonObject expanded, TransformerContext context) {
        var read = plainReader.apply(shape.toPlain(expanded).toString());
        if (read.failed()) {
            context.reportProblem(read.getFailureDetail());
            return null;
        }
        return read.getContent();
    }
}
