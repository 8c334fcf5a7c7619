package io.kakehashi.policy.auditor;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;

import static org.assertj.core.api.Assertions.assertThat;

class JsonErrorResponseFilterTest {

    private final JsonErrorResponseFilter filter = new JsonErrorResponseFilter();

    @Test
    void filter_whenARefusedKeyOnAJsonLinesExport_shouldAnswerJson() {
        // EDC's mapper gives the 401 no type; on an export JAX-RS then picks application/jsonl and fails with 500
        var headers = new MultivaluedHashMap<String, Object>();
        filter.filter(null, response(401, true, null, headers));

        assertThat(headers.getFirst("Content-Type")).isEqualTo(MediaType.APPLICATION_JSON);
    }

    @Test
    void filter_whenAnErrorTypedAsJsonLines_shouldAnswerJson() {
        var headers = new MultivaluedHashMap<String, Object>();
        filter.filter(null, response(401, true, MediaType.valueOf(AuditorApiController.JSON_LINES), headers));

        assertThat(headers.getFirst("Content-Type")).isEqualTo(MediaType.APPLICATION_JSON);
    }

    @Test
    void filter_whenAnExportSucceeds_shouldLeaveItsTypeAlone() {
        var headers = new MultivaluedHashMap<String, Object>();
        filter.filter(null, response(200, true, MediaType.valueOf(AuditorApiController.JSON_LINES), headers));

        assertThat(headers).isEmpty();
    }

    @Test
    void filter_whenAnErrorIsAlreadyJson_shouldLeaveItAlone() {
        var headers = new MultivaluedHashMap<String, Object>();
        filter.filter(null, response(400, true, MediaType.APPLICATION_JSON_TYPE, headers));

        assertThat(headers).isEmpty();
    }

    /** The few answers the filter reads, without a JAX-RS server. */
    private static ContainerResponseContext response(int status, boolean entity, MediaType type, MultivaluedMap<String, Object> headers) {
        return (ContainerResponseContext) Proxy.newProxyInstance(JsonErrorResponseFilterTest.class.getClassLoader(),
                new Class<?>[] { ContainerResponseContext.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "getStatus" -> status;
                    case "hasEntity" -> entity;
                    case "getMediaType" -> type;
                    case "getHeaders" -> headers;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
