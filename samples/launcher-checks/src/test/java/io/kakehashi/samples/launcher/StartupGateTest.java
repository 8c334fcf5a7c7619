package io.kakehashi.samples.launcher;

import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a peer meets when it reaches a connector that is still starting: EDC's Jetty opens the ports before the
 * protocol and identity resources are registered, and Jetty's own answers there (405 to a POST, 404 to a GET) made
 * EDC peers give up. Every answer during start-up must be a 503 with Retry-After, until the API's own answers begin.
 */
@Tag("EndToEndTest")
class StartupGateTest {

    private static final Duration START = Duration.ofSeconds(90);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void start_whenPeersReachThePortsBeforeReady_shouldAnswer503WithRetryAfterAndNeverJettysPage() throws Exception {
        var settings = new ConnectorSettings("startup-gate", Path.of("target", "launcher-checks", "startup-gate-" + System.nanoTime()))
                .trustIssuer("dataspace", "did:web:127.0.0.1%3A9:authority");
        // a DSP message whose loss ended negotiations TERMINATED, and the DID document a peer resolves first
        var termination = URI.create(settings.dspAddress() + "/negotiations/urn:uuid:1/termination");
        var didDocument = URI.create("http://127.0.0.1:%s/identity/did.json".formatted(settings.properties().get("web.http.identity.port")));

        var answers = new ArrayList<Answer>();
        try (var connector = ConnectorProcess.launch(List.of(ConnectorProcess.launcherJar()), settings)) {
            // poll from the moment the port opens until the runtime says it is ready, then once more on each
            while (!connector.reportsReady()) {
                assertThat(connector.isAlive()).as("connector alive:\n%s", connector.logTail(40)).isTrue();
                send(post(termination)).ifPresent(answers::add);
                send(HttpRequest.newBuilder(didDocument).GET().build()).ifPresent(answers::add);
            }
            connector.awaitReady(START);
            var afterReady = List.of(send(post(termination)).orElseThrow(), send(HttpRequest.newBuilder(didDocument).GET().build()).orElseThrow());

            assertThat(answers).as("answers while the runtime was starting").isNotEmpty();
            // Jetty's answers where no resource is registered yet: 405 to the POST, 404 to the GET
            assertThat(answers).as("no answer from a half-registered API")
                    .noneMatch(answer -> answer.status() == 405 || answer.status() == 404);
            // the gate opens once: after the first real answer of a port, no 503 follows on it
            for (var uri : List.of(termination, didDocument)) {
                var onPort = answers.stream().filter(answer -> answer.uri().equals(uri)).toList();
                var firstReal = onPort.stream().filter(answer -> answer.status() != 503).findFirst().map(onPort::indexOf).orElse(onPort.size());
                assertThat(onPort.subList(0, firstReal)).as("answers on %s before its API answered", uri)
                        .allSatisfy(answer -> assertThat(answer.retryAfter()).as("Retry-After of %s", answer).isNotEmpty());
                assertThat(onPort.subList(firstReal, onPort.size())).as("answers on %s after its API answered", uri)
                        .noneMatch(answer -> answer.status() == 503);
            }
            assertThat(answers).as("the gate was met before ready").anyMatch(answer -> answer.status() == 503);
            assertThat(afterReady).as("answers once ready")
                    .noneMatch(answer -> answer.status() == 503 || answer.status() == 405 || answer.status() == 404);
            assertThat(afterReady.get(1).status()).as("the DID document once ready").isEqualTo(200);
        }
    }

    @Test
    void start_whenTheHttpRetriesGiveUpBeforeAPeerRestarts_shouldRefuseNamingTheKeys() {
        // 2 retries from 100 ms: 300 ms in all, far less than the 5 s a peer's restart may take
        var settings = new ConnectorSettings("short-retries", Path.of("target", "launcher-checks", "short-retries-" + System.nanoTime()))
                .trustIssuer("dataspace", "did:web:127.0.0.1%3A9:authority")
                .with("edc.core.retry.retries.max", "2")
                .with("edc.core.retry.backoff.min", "100");

        assertThatThrownBy(() -> ConnectorProcess.start(settings, START).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited")
                .hasMessageContaining("edc.core.retry.retries.max")
                .hasMessageContaining("kakehashi.web.peer-restart");
    }

    private static HttpRequest post(URI uri) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
    }

    /** The answer, or empty while nothing listens on the port yet. */
    private java.util.Optional<Answer> send(HttpRequest request) throws InterruptedException {
        try {
            var response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return java.util.Optional.of(new Answer(request.uri(), response.statusCode(),
                    response.headers().firstValue("Retry-After").orElse("")));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private record Answer(URI uri, int status, String retryAfter) {
    }
}
