package io.kakehashi.identity.dcp.verifier;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.identity.dcp.Dcp;
import io.kakehashi.identity.did.BoundedBody;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.eclipse.edc.http.spi.EdcHttpClient;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends a DCP presentation query to a holder's credential service and returns the presentations of its answer. Over
 * https only; plain http only for loopback hosts when allowed. An answer longer than
 * {@link PresentationLimits#maxResponseBytes()} is refused without reading the rest, one with more than
 * {@link PresentationLimits#maxPresentations()} presentations before any is looked at. JSON is written and read with
 * the runtime's {@code TypeManager} mapper. Thread-safe.
 */
public class PresentationClient {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

    private final EdcHttpClient httpClient;
    private final boolean allowHttpForLoopback;
    private final PresentationLimits limits;
    private final ObjectMapper mapper;

    /** A client with the limits a query of DCP's three default credential types needs. */
    public PresentationClient(EdcHttpClient httpClient, boolean allowHttpForLoopback, ObjectMapper mapper) {
        this(httpClient, allowHttpForLoopback, PresentationLimits.forScopes(3), mapper);
    }

    /**
     * @param mapper the runtime's {@code TypeManager} mapper
     */
    public PresentationClient(EdcHttpClient httpClient, boolean allowHttpForLoopback, PresentationLimits limits, ObjectMapper mapper) {
        this.httpClient = httpClient;
        this.allowHttpForLoopback = allowHttpForLoopback;
        this.limits = limits;
        this.mapper = mapper;
    }

    /**
     * What a query got: the presentations or why not; whether the credential service answered 403 — which EDC's
     * IdentityHub 0.15.1 does for a scope alias it does not know (docs/decisions/0026); and whether it could not be
     * asked just now (no connection, a timeout, or 429, 502, 503, 504), which a later try may not meet.
     */
    public record Answer(Result<List<String>> presentations, boolean forbidden, boolean unavailable) {
    }

    private static final Set<Integer> UNAVAILABLE = Set.of(429, 502, 503, 504);

    /**
     * @param credentialService the holder's credential service base URL (from its DID document)
     * @param idToken           this connector's ID token for the holder, carrying the holder's access token
     * @param scopes            the scopes to ask for
     */
    public Result<List<String>> query(String credentialService, String idToken, List<String> scopes) {
        return ask(credentialService, idToken, scopes).presentations();
    }

    /** {@link #query}, telling a 403 apart. */
    public Answer ask(String credentialService, String idToken, List<String> scopes) {
        var status = new boolean[2];
        var result = send(credentialService, idToken, scopes, status);
        return new Answer(result, status[0], status[1]);
    }

    /** @param status set to {forbidden, unavailable} as the answer shows */
    private Result<List<String>> send(String credentialService, String idToken, List<String> scopes, boolean[] status) {
        var url = credentialService.replaceAll("/+$", "") + Dcp.PRESENTATIONS_QUERY_PATH;
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Result.failure("credential service '%s' is not a URL".formatted(credentialService));
        }
        var loopbackHttp = "http".equals(uri.getScheme()) && allowHttpForLoopback && LOOPBACK.contains(uri.getHost());
        if (!"https".equals(uri.getScheme()) && !loopbackHttp) {
            return Result.failure("credential service '%s' is not an https URL".formatted(credentialService));
        }
        try {
            var body = mapper.writeValueAsString(Map.of("@context", List.of(Dcp.DCP_CONTEXT), "type", Dcp.PRESENTATION_QUERY_MESSAGE, "scope", scopes));
            var request = new Request.Builder().url(url).header("Authorization", "Bearer " + idToken).post(RequestBody.create(body, JSON)).build();
            try (var response = httpClient.execute(request)) {
                status[0] = response.code() == 403;
                status[1] = UNAVAILABLE.contains(response.code());
                if (response.code() != 200 || response.body() == null) {
                    return Result.failure("credential service %s answered HTTP %d".formatted(url, response.code()));
                }
                var max = limits.maxResponseBytes();
                var text = BoundedBody.read(response.body(), max);
                if (text.failed()) {
                    return Result.failure("credential service %s answered with more than %d bytes (%s)".formatted(url, max, PresentationLimits.MAX_RESPONSE_BYTES));
                }
                var answer = mapper.readValue(text.getContent(), new TypeReference<Map<String, Object>>() {
                });
                if (!Dcp.PRESENTATION_RESPONSE_MESSAGE.equals(answer.get("type")) && !Dcp.PRESENTATION_RESPONSE_MESSAGE.equals(answer.get("@type"))) {
                    return Result.failure("credential service %s did not answer with a PresentationResponseMessage".formatted(url));
                }
                var presentations = answer.get("presentation");
                if (!(presentations instanceof Collection<?> list) || list.isEmpty() || !list.stream().allMatch(String.class::isInstance)) {
                    return Result.failure("credential service %s sent no JWT presentation".formatted(url));
                }
                if (list.size() > limits.maxPresentations()) {
                    return Result.failure("credential service %s answered with %d presentations, more than the %d read for %d scope(s) (%s)"
                            .formatted(url, list.size(), limits.maxPresentations(), scopes.size(), PresentationLimits.MAX_PRESENTATIONS));
                }
                return Result.success(list.stream().map(String.class::cast).toList());
            }
        } catch (IOException e) {
            status[1] = true;
            return Result.failure("credential service %s cannot be reached: %s".formatted(url, e.getClass().getSimpleName()));
        } catch (RuntimeException e) {
            return Result.failure("credential service %s cannot be reached: %s".formatted(url, e.getClass().getSimpleName()));
        }
    }
}
