package io.kakehashi.samples.hostile.rogue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessStarted;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.spi.event.EventEnvelope;
import org.eclipse.edc.spi.event.EventRouter;
import org.eclipse.edc.spi.event.EventSubscriber;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.iam.IdentityService;
import org.eclipse.edc.spi.iam.TokenParameters;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Test-only: put beside the launcher jar in the consumer's JVM (never in the jar) by the hostile-input suite, it turns a
 * real dataspace member into a rogue one. It listens on 127.0.0.1 only, on {@value #PORT}, and for each
 * {@code POST /dispatch} sends the request body unchanged to the address in header {@value #TARGET} (method in
 * {@value #METHOD}, default POST) with this connector's own DCP token for the audience in {@value #AUDIENCE} — the
 * token the connector's DSP client would send, obtained from its {@link IdentityService}. It answers 200 with the
 * peer's status in {@value #PEER_STATUS} and the peer's body, or 502 when it could not get a token or reach the peer.
 * {@code GET /token?transfer=<id>} answers the data-plane token the member received for one of its own transfers (the
 * {@code authorization} of the data address its transfer-started event carried, or of the stored transfer), so the
 * suite can try it where it does not belong.
 * <p>
 * It exists so the suite can send any DSP message, however malformed, with a member's genuine identity; a real
 * connector never dispatches a body it did not build. Thread-safe.
 */
public class RogueMemberExtension implements ServiceExtension {

    public static final String PORT = "kakehashi.test.rogue.port";
    public static final String TARGET = "X-Rogue-Target";
    public static final String AUDIENCE = "X-Rogue-Audience";
    public static final String METHOD = "X-Rogue-Method";
    public static final String PEER_STATUS = "X-Peer-Status";

    @Inject
    private IdentityService identityService;
    @Inject
    private TransferProcessStore transferProcesses;
    @Inject
    private EventRouter events;

    private final java.util.Map<String, String> receivedTokens = new java.util.concurrent.ConcurrentHashMap<>();

    private HttpServer server;
    private String participantId;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public String name() {
        return "Kakehashi hostile-input suite: rogue member (test only)";
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        participantId = context.getConfig().getString("edc.participant.id");
        var port = context.getConfig().getInteger(PORT);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new IllegalStateException("rogue member: cannot listen on 127.0.0.1:" + port, e);
        }
        server.createContext("/dispatch", this::dispatch);
        server.createContext("/token", this::token);
        events.registerSync(TransferProcessStarted.class, new EventSubscriber() {
            @Override
            public <E extends org.eclipse.edc.spi.event.Event> void on(EventEnvelope<E> envelope) {
                if (envelope.getPayload() instanceof TransferProcessStarted started) {
                    var token = tokenOf(started.getDataAddress());
                    if (token != null) {
                        receivedTokens.put(started.getTransferProcessId(), token);
                    }
                }
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
    }

    @Override
    public void start() {
        server.start();
    }

    @Override
    public void shutdown() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            var target = exchange.getRequestHeaders().getFirst(TARGET);
            var audience = exchange.getRequestHeaders().getFirst(AUDIENCE);
            var method = exchange.getRequestHeaders().getFirst(METHOD);
            var body = exchange.getRequestBody().readAllBytes();
            if (target == null || audience == null) {
                answer(exchange, 400, "name the target and the audience");
                return;
            }
            var token = identityService.obtainClientCredentials(participantId, TokenParameters.Builder.newInstance().claims("aud", audience).build());
            if (token.failed()) {
                answer(exchange, 502, "no token: " + token.getFailureDetail());
                return;
            }
            var request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", token.getContent().getToken())
                    .header("Content-Type", "application/json");
            if (method == null || "POST".equals(method)) {
                request.POST(HttpRequest.BodyPublishers.ofByteArray(body));
            } else {
                request.method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            }
            HttpResponse<byte[]> response;
            try {
                try {
                    response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException stale) {
                    // a pooled connection the peer closed after an earlier answer (it closes a connection whose body
                    // it did not read): once more on a new connection; a peer that drops this request too is unreachable
                    response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                            .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer(exchange, 502, "interrupted");
                return;
            } catch (IOException e) {
                answer(exchange, 502, "peer unreachable: " + e);
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("transfer-encoding") && !name.startsWith(":")) {
                    values.forEach(value -> exchange.getResponseHeaders().add("X-Peer-" + name, value));
                }
            });
            exchange.getResponseHeaders().add(PEER_STATUS, String.valueOf(response.statusCode()));
            exchange.sendResponseHeaders(200, response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) {
                exchange.getResponseBody().write(response.body());
            }
        } catch (RuntimeException e) {
            answer(exchange, 502, "rogue member failed: " + e);
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            var query = exchange.getRequestURI().getQuery();
            var id = query == null ? "" : query.replaceFirst("^transfer=", "");
            var token = receivedTokens.get(id);
            if (token == null) {
                var process = transferProcesses.findById(id);
                token = process == null ? null : tokenOf(process.getContentDataAddress());
            }
            if (token == null) {
                answer(exchange, 404, "no token for transfer " + id);
                return;
            }
            answer(exchange, 200, token);
        }
    }

    private static String tokenOf(DataAddress address) {
        if (address == null) {
            return null;
        }
        for (var property : address.getProperties().entrySet()) {
            if (property.getKey().toLowerCase(java.util.Locale.ROOT).endsWith("authorization") && property.getValue() instanceof String token) {
                return token;
            }
        }
        return null;
    }

    private static void answer(HttpExchange exchange, int status, String message) throws IOException {
        var bytes = message.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
