package io.kakehashi.identity.did;

import dev.failsafe.RetryPolicy;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.eclipse.edc.http.client.EdcHttpClientImpl;
import org.eclipse.edc.http.spi.EdcHttpClient;
import org.eclipse.edc.spi.monitor.Monitor;

import java.time.Duration;

/**
 * The HTTP client identity checks use to reach other parties (DID documents, credential services, status lists): the
 * runtime's OkHttp client, without retries and with a bound on each call, because these calls run while a peer's
 * request waits and an unreachable or slow party must mean a prompt refusal.
 */
public final class FailFastHttpClient {

    private FailFastHttpClient() {
    }

    public static EdcHttpClient create(OkHttpClient base, Duration callTimeout, Monitor monitor) {
        var client = base.newBuilder().callTimeout(callTimeout).build();
        return new EdcHttpClientImpl(client, RetryPolicy.<Response>builder().withMaxRetries(0).build(), monitor);
    }
}
