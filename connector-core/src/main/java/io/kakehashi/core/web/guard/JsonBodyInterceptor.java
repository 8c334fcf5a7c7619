package io.kakehashi.core.web.guard;

import jakarta.annotation.Priority;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Checks a JSON body with {@link JsonBodyScanner} before EDC's JSON-LD interceptor or a resource reads it, for every
 * endpoint that takes JSON-P values (EDC's management, DSP and signaling APIs): a {@code null}, a non-object where an
 * object is expected, too deep a nesting or a NUL character is answered 400 saying so. An empty body passes (EDC's
 * query endpoints take none). Runs before EDC's JSON-LD interceptor (whose priority is the default, 5000).
 * Thread-safe.
 */
@Priority(1000)
public final class JsonBodyInterceptor implements ReaderInterceptor {

    private final JsonBodyScanner scanner;
    private final boolean digest;

    public JsonBodyInterceptor(JsonBodyScanner scanner) {
        this(scanner, false);
    }

    /** @param digest whether the body's SHA-256 is kept for the request ({@link RequestBodyDigest}): on the DSP context */
    public JsonBodyInterceptor(JsonBodyScanner scanner, boolean digest) {
        this.scanner = scanner;
        this.digest = digest;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        var type = context.getType();
        if (!JsonValue.class.isAssignableFrom(type)) {
            return context.proceed();
        }
        var body = context.getInputStream().readAllBytes();
        if (body.length > 0) {
            var objectExpected = JsonObject.class.isAssignableFrom(type);
            scanner.scan(body, objectExpected).ifPresent(problem -> {
                throw RequestProblem.badRequest(problem).exception();
            });
            if (digest) {
                RequestBodyDigest.of(body);
            }
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }
}
