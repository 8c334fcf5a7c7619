package io.kakehashi.policy.constraints;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.Priority;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Applies {@link RightOperandLiterals} to a management request body after EDC's JSON-LD interceptor has expanded it
 * (that interceptor has the default priority, 5000) and before a validator reads it. A body without a right operand
 * passes untouched. Thread-safe.
 */
@Priority(5500)
public final class RightOperandLiteralInterceptor implements ReaderInterceptor {

    private static final byte[] MARKER = RightOperandLiterals.RIGHT_OPERAND.getBytes(StandardCharsets.UTF_8);

    private final Supplier<ObjectMapper> mapper;

    /** @param mapper EDC's JSON-LD mapper (it reads and writes JSON-P values), looked up when a body arrives */
    public RightOperandLiteralInterceptor(Supplier<ObjectMapper> mapper) {
        this.mapper = mapper;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (!JsonObject.class.isAssignableFrom(context.getType())) {
            return context.proceed();
        }
        var body = context.getInputStream().readAllBytes();
        if (contains(body, MARKER)) {
            var json = mapper.get().readValue(body, JsonValue.class);
            body = mapper.get().writeValueAsBytes(RightOperandLiterals.asStrings(json));
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    private static boolean contains(byte[] body, byte[] marker) {
        outer:
        for (var i = 0; i <= body.length - marker.length; i++) {
            for (var j = 0; j < marker.length; j++) {
                if (body[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
