package io.kakehashi.identity.did.fuzz;

import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.eclipse.edc.http.spi.EdcHttpClient;
import org.eclipse.edc.http.spi.FallbackFactory;
import org.eclipse.edc.spi.result.Result;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * An HTTP client that answers every request with one canned body, so that a fuzz target drives the DID resolver's
 * parsing in-process without a socket. Not thread-safe (a fuzz target runs on one thread).
 */
public final class CannedHttpClient implements EdcHttpClient {

    private int status = 200;
    private byte[] body = new byte[0];

    public void answer(int status, byte[] body) {
        this.status = status;
        this.body = body;
    }

    @Override
    public Response execute(Request request) {
        return new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(status).message("canned")
                .body(ResponseBody.create(body, MediaType.get("application/did+json"))).build();
    }

    @Override
    public Response execute(Request request, List<FallbackFactory> fallbacks) {
        return execute(request);
    }

    @Override
    public <T> Result<T> execute(Request request, Function<Response, Result<T>> mappingFunction) {
        try (var response = execute(request)) {
            return mappingFunction.apply(response);
        }
    }

    @Override
    public <T> Result<T> execute(Request request, List<FallbackFactory> fallbacks, Function<Response, Result<T>> mappingFunction) {
        return execute(request, mappingFunction);
    }

    @Override
    public CompletableFuture<Response> executeAsync(Request request, List<FallbackFactory> fallbacks) {
        return CompletableFuture.completedFuture(execute(request));
    }

    @Override
    public EdcHttpClient withDns(String dnsServer) {
        return this;
    }
}
