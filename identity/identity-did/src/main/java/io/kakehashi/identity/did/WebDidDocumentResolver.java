package io.kakehashi.identity.did;

import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.Request;
import org.eclipse.edc.http.spi.EdcHttpClient;
import org.eclipse.edc.iam.did.spi.document.DidDocument;
import org.eclipse.edc.iam.did.spi.resolution.DidResolver;
import org.eclipse.edc.spi.result.Result;
import org.jetbrains.annotations.NotNull;

import java.io.IOException;

/**
 * Resolves {@code did:web} identifiers by fetching their DID document over HTTPS ({@code http} only for loopback hosts,
 * and only when allowed). The document must name the DID it was fetched for and be at most
 * {@link BoundedBody#MAX_DID_DOCUMENT_BYTES} long. Registered into EDC's
 * {@code DidResolverRegistry}, which caches what it returns. The document is read into EDC's {@link DidDocument} with
 * the runtime's {@code TypeManager} mapper, which ignores what EDC's model does not hold ({@code assertionMethod},
 * {@code @context}, …). Thread-safe.
 */
public class WebDidDocumentResolver implements DidResolver {

    private final EdcHttpClient httpClient;
    private final boolean allowHttpForLoopback;
    private final ObjectMapper mapper;

    /**
     * @param mapper the runtime's {@code TypeManager} mapper; it must not fail on unknown properties, as EDC's does not
     */
    public WebDidDocumentResolver(EdcHttpClient httpClient, boolean allowHttpForLoopback, ObjectMapper mapper) {
        this.httpClient = httpClient;
        this.allowHttpForLoopback = allowHttpForLoopback;
        this.mapper = mapper;
    }

    @Override
    public @NotNull String getMethod() {
        return "web";
    }

    @Override
    public @NotNull Result<DidDocument> resolve(String did) {
        var parsed = WebDid.parse(did);
        if (parsed.failed()) {
            return parsed.mapFailure();
        }
        var url = parsed.getContent().documentUrl(allowHttpForLoopback);
        var request = new Request.Builder().url(url.toString()).header("Accept", "application/did+json, application/json").get().build();
        try (var response = httpClient.execute(request)) {
            if (response.code() != 200) {
                return Result.failure("DID '%s' cannot be resolved: HTTP %d from %s".formatted(did, response.code(), url));
            }
            var body = response.body();
            if (body == null) {
                return Result.failure("DID '%s' cannot be resolved: empty response from %s".formatted(did, url));
            }
            var text = BoundedBody.read(body, BoundedBody.MAX_DID_DOCUMENT_BYTES);
            if (text.failed()) {
                return Result.failure("DID '%s' cannot be resolved: %s from %s".formatted(did, text.getFailureDetail(), url));
            }
            var document = mapper.readValue(text.getContent(), DidDocument.class);
            if (!did.equals(document.getId())) {
                return Result.failure("DID '%s' cannot be resolved: the document at %s is for '%s'".formatted(did, url, document.getId()));
            }
            return Result.success(document);
        } catch (IOException | RuntimeException e) {
            return Result.failure("DID '%s' cannot be resolved: %s from %s".formatted(did, e.getClass().getSimpleName(), url));
        }
    }
}
