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
 * request waits and an unreachable or slow party must mean a prompt refusal. It follows no redirect: the address of
 * each call was checked (https, a peer's own host, or loopback where allowed) and a redirect would reach an address
 * nobody checked — another host, an internal endpoint, plain http. did:web resolution needs none (the document is at
 * the URL the DID names), nor do DCP's credential service and status lists; a 3xx is answered as such and refused by
 * the caller like any other status than 200.
 */
public final class FailFastHttpClient {

    private FailFastHttpClient() {
    }

    public static EdcHttpClient create(OkHttpClient base, Duration callTimeout, Monitor monitor) {
        var client = base.newBuilder().callTimeout(callTimeout).followRedirects(false).followSslRedirects(false).build();
        return new EdcHttpClientImpl(client, RetryPolicy.<Response>builder().withMaxRetries(0).build(), monitor);
    }
}
