package io.kakehashi.ai.spi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The mapper for JSON the compute modules read from a string or bytes already held in memory (a management request's
 * body, a destination's job description, a result document): strings of any length. Jackson's default of 20,000,000
 * characters per string would refuse the base64 of any model above about 14.3 MiB, far below
 * {@code kakehashi.ai.evaluation.max-model-bytes}; the size of such input is bounded where it arrived (the HTTP context's
 * body limit, the model limit checked on the decoded bytes), so a second, unrelated limit here only breaks. Nesting and
 * number limits stay Jackson's. The mapper is thread-safe once built.
 */
public final class InMemoryJsonMapper {

    private InMemoryJsonMapper() {
    }

    public static ObjectMapper create() {
        var constraints = StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build();
        return new ObjectMapper(JsonFactory.builder().streamReadConstraints(constraints).build());
    }
}
