package io.kakehashi.core.web.readiness;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Wraps the handlers of EDC's Jetty server and answers every request with {@code 503 Service Unavailable} and a
 * {@code Retry-After} header until the runtime is ready, so that a peer never meets a port whose APIs are only half
 * registered (Jetty answers those with 405 or 404, which a DSP peer treats as final). Requests on the connectors
 * named in {@code ungatedConnectors} pass through at once.
 * <p>
 * Thread-safe as long as {@code ready} is.
 */
public final class StartupGate extends Handler.Wrapper {

    static final String STARTING_BODY = "{\"status\":503,\"reason\":\"the connector is starting; retry after the Retry-After delay\"}";

    private final BooleanSupplier ready;
    private final Set<String> ungatedConnectors;
    private final String retryAfterSeconds;

    public StartupGate(Handler handler, BooleanSupplier ready, Set<String> ungatedConnectors, Duration retryAfter) {
        super(handler);
        this.ready = ready;
        this.ungatedConnectors = Set.copyOf(ungatedConnectors);
        // Retry-After takes whole seconds; a sub-second setting still asks for one
        this.retryAfterSeconds = Long.toString(Math.max(1, retryAfter.toSeconds()));
    }

    /**
     * Puts a gate around whatever handler {@code server} has when it starts: the handler is wrapped before the server
     * starts its handlers and opens its connectors, so no request can arrive ahead of the gate.
     */
    public static void installWhenStarting(Server server, BooleanSupplier ready, Set<String> ungatedConnectors, Duration retryAfter) {
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                server.setHandler(new StartupGate(server.getHandler(), ready, ungatedConnectors, retryAfter));
            }
        });
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (ready.getAsBoolean() || ungatedConnectors.contains(connectorName(request))) {
            return super.handle(request, response, callback);
        }
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, retryAfterSeconds);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON_UTF_8.asString());
        response.write(true, ByteBuffer.wrap(STARTING_BODY.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    private static String connectorName(Request request) {
        var connector = request.getConnectionMetaData().getConnector();
        return connector == null ? null : connector.getName();
    }
}
