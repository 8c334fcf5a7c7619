package io.kakehashi.core.web.readiness;

import com.sun.net.httpserver.HttpServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationTerminationMessage;
import org.eclipse.edc.http.client.EdcHttpClientImpl;
import org.eclipse.edc.protocol.dsp.http.dispatcher.DspHttpRemoteMessageDispatcherImpl;
import org.eclipse.edc.protocol.dsp.http.spi.dispatcher.response.DspHttpResponseBodyExtractor;
import org.eclipse.edc.runtime.core.retry.RetryPolicyConfiguration;
import org.eclipse.edc.runtime.core.retry.RetryPolicyFactory;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * How EDC 0.15.1's DSP dispatcher, with the HTTP client and retry policy the launcher runs, treats a peer that is
 * restarting: a dropped connection and 502/503/504 answers are retried until the message is delivered; a 4xx is final
 * at once. The peer is a loopback stub that answers from a script; the backoff is short so the test does not wait.
 */
class DspPeerRetryTest {

    private static final int NO_ANSWER = -1;
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer peer;

    @AfterEach
    void stopPeer() {
        if (peer != null) {
            peer.stop(0);
        }
    }

    @Test
    void dispatch_whenThePeerIsRestarting_shouldRetryUntilDelivered() {
        var dispatcher = dispatcher(5, startPeer(NO_ANSWER, 503, 502, 504, 200));

        var result = dispatcher.dispatch("participant", Object.class, termination()).join();

        assertThat(result.succeeded()).as("%s", result).isTrue();
        assertThat(requests).hasValue(5);
    }

    @Test
    void dispatch_whenThePeerAnswers400_shouldBeFinalAtOnce() {
        var dispatcher = dispatcher(5, startPeer(400, 200));

        var result = dispatcher.dispatch("participant", Object.class, termination()).join();

        assertThat(result.fatalError()).as("%s", result).isTrue();
        assertThat(requests).hasValue(1);
    }

    @Test
    void dispatch_whenThePeerAnswers405_shouldBeFinalAtOnce() {
        // why a starting connector must never let Jetty answer: EDC gives up on a 405
        var dispatcher = dispatcher(5, startPeer(405, 200));

        var result = dispatcher.dispatch("participant", Object.class, termination()).join();

        assertThat(result.fatalError()).as("%s", result).isTrue();
        assertThat(requests).hasValue(1);
    }

    @Test
    void dispatch_whenThePeerStaysUnavailableBeyondTheRetries_shouldFailWithoutAFinalVerdict() {
        var dispatcher = dispatcher(2, startPeer(503, 503, 503, 503));

        var failure = catchThrowable(() -> dispatcher.dispatch("participant", Object.class, termination()).join());

        // an exceptional completion, which the state machines retry with their send retries; never FATAL_ERROR
        assertThat(failure).isInstanceOf(CompletionException.class);
        assertThat(requests).hasValue(3);
    }

    @Test
    void dispatch_whenNothingListensAtThePeer_shouldFailWithoutAFinalVerdict() throws Exception {
        String closedAddress;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedAddress = "http://127.0.0.1:%d/protocol/2025-1".formatted(socket.getLocalPort());
        }
        var dispatcher = dispatcher(2, closedAddress);

        var failure = catchThrowable(() -> dispatcher.dispatch("participant", Object.class, termination()).join());

        // connection refused is retried and then left to the state machines' send retries, like a 503
        assertThat(failure).isInstanceOf(CompletionException.class).hasMessageContaining("Failed to connect");
    }

    private DspHttpRemoteMessageDispatcherImpl dispatcher(int maxRetries, String peerAddress) {
        var monitor = new Monitor() {
        };
        var retryPolicy = RetryPolicyFactory.<okhttp3.Response>create(RetryPolicyConfiguration.Builder.newInstance()
                .maxRetries(maxRetries).minBackoff(10).maxBackoff(40).build(), monitor);
        var okHttp = new OkHttpClient.Builder().connectTimeout(2, TimeUnit.SECONDS).readTimeout(5, TimeUnit.SECONDS).build();
        var httpClient = new EdcHttpClientImpl(okHttp, retryPolicy, monitor);
        var dispatcher = new DspHttpRemoteMessageDispatcherImpl(httpClient,
                new StaticTokenIdentityService(),
                builder -> builder,
                null, // consulted only for messages with a policy scope; none is registered
                message -> Result.success("peer"));
        dispatcher.registerMessage(ContractNegotiationTerminationMessage.class,
                message -> new Request.Builder().url(peerAddress + "/negotiations/" + message.getProcessId() + "/termination")
                        .post(RequestBody.create("{}".getBytes())).build(),
                (DspHttpResponseBodyExtractor<Object>) (body, participantContextId) -> "delivered");
        return dispatcher;
    }

    /** Answers each request with the next status of {@code script}; {@link #NO_ANSWER} drops the connection. */
    private String startPeer(int... script) {
        Deque<Integer> statuses = new ArrayDeque<>();
        for (var status : script) {
            statuses.add(status);
        }
        try {
            peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        peer.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            var status = statuses.isEmpty() ? 200 : statuses.poll();
            if (status == NO_ANSWER) {
                // as a peer killed mid-request: the connection ends without a response
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        peer.start();
        return "http://127.0.0.1:%d/protocol/2025-1".formatted(peer.getAddress().getPort());
    }

    private static ContractNegotiationTerminationMessage termination() {
        return ContractNegotiationTerminationMessage.Builder.newInstance()
                .processId("urn:uuid:negotiation-1")
                .counterPartyAddress("http://127.0.0.1/protocol")
                .counterPartyId("peer")
                .protocol("dataspace-protocol-http:2025-1")
                .rejectionReason("terminated by the consumer")
                .build();
    }

    private static final class StaticTokenIdentityService implements org.eclipse.edc.spi.iam.IdentityService {
        @Override
        public Result<TokenRepresentation> obtainClientCredentials(String participantContextId, org.eclipse.edc.spi.iam.TokenParameters parameters) {
            return Result.success(TokenRepresentation.Builder.newInstance().token("test-token").build());
        }

        @Override
        public Result<org.eclipse.edc.spi.iam.ClaimToken> verifyJwtToken(String participantContextId, TokenRepresentation token,
                                                                        org.eclipse.edc.spi.iam.VerificationContext context) {
            return Result.failure("not used");
        }
    }
}
