package io.kakehashi.policy.auditor;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class AuditorReadsLogTest {

    private final List<String> infos = new ArrayList<>();
    private final List<String> debugs = new ArrayList<>();
    private final AuditorReadsLog log = new AuditorReadsLog(new Monitor() {
        @Override
        public void info(String message, Throwable... errors) {
            infos.add(message);
        }

        @Override
        public void debug(Supplier<String> supplier, Throwable... errors) {
            debugs.add(supplier.get());
        }
    });

    @SuppressWarnings("unchecked")
    private static <T> T fake(Class<T> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type},
                (proxy, method, args) -> answers.get(method.getName()));
    }

    private static ContainerRequestContext request(String method, String target, String auditor, String apiKey) {
        var headers = new MultivaluedHashMap<String, String>();
        if (apiKey != null) {
            headers.putSingle("x-api-key", apiKey);
        }
        var uri = fake(UriInfo.class, Map.of("getRequestUri", URI.create("http://127.0.0.1:8186" + target)));
        var answers = new java.util.HashMap<String, Object>(Map.of("getMethod", method, "getUriInfo", uri, "getHeaders", headers));
        return (ContainerRequestContext) Proxy.newProxyInstance(ContainerRequestContext.class.getClassLoader(), new Class<?>[]{ContainerRequestContext.class},
                (proxy, m, args) -> "getProperty".equals(m.getName()) ? (AuditorCredentialFilter.AUDITOR_PROPERTY.equals(args[0]) ? auditor : null)
                        : answers.get(m.getName()));
    }

    private static ContainerResponseContext status(int status) {
        return fake(ContainerResponseContext.class, Map.of("getStatus", status));
    }

    @Test
    void aCredentialedAuditorsRead_isLoggedWithItsDid() {
        log.filter(request("GET", "/auditor/v1/decisions?agreement=a1&limit=10", "did:web:auditor.example", null), status(200));

        assertThat(infos).containsExactly("auditor did:web:auditor.example read GET /auditor/v1/decisions?agreement=a1&limit=10 (200)");
    }

    @Test
    void aReadWithTheAuditorKey_isLoggedWithoutTheKey() {
        log.filter(request("GET", "/auditor/v1/verify", null, "audit-secret-key-value"), status(200));

        assertThat(infos).containsExactly("the auditor key read GET /auditor/v1/verify (200)");
        assertThat(String.join("", infos)).doesNotContain("audit-secret-key-value");
    }

    @Test
    void aRefusedRequest_isNotAnAuditorsRead() {
        log.filter(request("GET", "/auditor/v1/decisions", null, "a-wrong-key"), status(401));
        log.filter(request("GET", "/auditor/v1/decisions", null, null), status(403));
        log.filter(request("GET", "/auditor/v1/decisions", null, null), status(200));

        assertThat(infos).isEmpty();
    }

    @Test
    void aLongOrControlCharacterTarget_isClippedAndMadePrintable() {
        log.filter(request("GET", "/auditor/v1/decisions?asset=" + "x".repeat(1000) + "%0A", "did:web:auditor.example", null), status(400));

        assertThat(infos).hasSize(1);
        assertThat(infos.get(0)).hasSizeLessThan(AuditorReadsLog.MAX_TARGET + 80).endsWith("… (400)");
    }
}
