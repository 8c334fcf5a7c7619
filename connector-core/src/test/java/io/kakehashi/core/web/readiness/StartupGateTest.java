package io.kakehashi.core.web.readiness;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class StartupGateTest {

    private final AtomicBoolean ready = new AtomicBoolean();
    private final HttpClient client = HttpClient.newHttpClient();
    private Server server;
    private ServerConnector protocol;
    private ServerConnector control;

    @BeforeEach
    void startServer() throws Exception {
        server = new Server();
        protocol = connector("protocol");
        control = connector("control");
        // as EDC's JettyService does: connectors first (the gate is installed from their callback), handler last
        StartupGate.installWhenStarting(server, ready::get, Set.of("control"), Duration.ofSeconds(2));
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap("served".getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.stop();
    }

    @Test
    void handle_whenNotReady_shouldAnswer503WithRetryAfter() throws Exception {
        var response = post(protocol);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).isEqualTo(StartupGate.STARTING_BODY);
    }

    @Test
    void handle_whenReady_shouldPassToTheHandler() throws Exception {
        ready.set(true);

        var response = post(protocol);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("served");
    }

    @Test
    void handle_whenNotReadyOnAnUngatedConnector_shouldPassToTheHandler() throws Exception {
        var response = post(control);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("served");
    }

    private ServerConnector connector(String name) {
        var connector = new ServerConnector(server);
        connector.setName(name);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        return connector;
    }

    private HttpResponse<String> post(ServerConnector connector) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d/protocol/2025-1/negotiations/x/termination".formatted(connector.getLocalPort())))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
