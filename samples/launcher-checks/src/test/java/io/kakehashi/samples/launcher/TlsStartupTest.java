package io.kakehashi.samples.launcher;

import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.ManagementClient;
import io.kakehashi.testfixtures.TestDataspaceCa;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTPS in the launcher jar: with {@code kakehashi.tls.keystore} set every web context answers TLS 1.2/1.3 with the
 * operator's certificate, and a keystore that cannot serve stops the start with a message naming the key.
 */
@Tag("EndToEndTest")
class TlsStartupTest {

    private static final Duration START = Duration.ofSeconds(90);
    private static final String PASSWORD_ENV = "KAKEHASHI_TLS_KEYSTORE_PASSWORD";

    private final Path workDir = Path.of("target", "launcher-checks").toAbsolutePath();
    private final TestDataspaceCa ca = TestDataspaceCa.create("Launcher Checks Test CA");

    /** A loopback connector with a keystore for 127.0.0.1 and localhost and an https control endpoint. */
    private ConnectorSettings tls(String name, String... certificateNames) throws Exception {
        return tls(name, true, certificateNames);
    }

    private ConnectorSettings tls(String name, boolean withPassword, String... certificateNames) throws Exception {
        var password = "tls-" + UUID.randomUUID();
        var directory = workDir.resolve(name + "-" + System.nanoTime());
        var keystore = ca.writeServerKeystore(directory.resolve("tls.p12"), password.toCharArray(),
                certificateNames.length == 0 ? new String[]{ "127.0.0.1", "localhost" } : certificateNames);
        var settings = new ConnectorSettings(name, directory)
                .trustIssuer("dataspace", "did:web:127.0.0.1%3A9:authority")
                .with("kakehashi.tls.keystore", keystore.toString());
        if (withPassword) {
            settings.environment(PASSWORD_ENV, password);
        }
        return settings.with("edc.control.endpoint", "https://localhost:%d/control".formatted(URI.create(settings.controlUrl()).getPort()))
                .with("edc.dsp.callback.address", settings.protocolUrl().replace("http://", "https://"));
    }

    @Test
    void start_withAKeystore_shouldServeEveryContextOverTls() throws Exception {
        var settings = tls("tls-everywhere");
        try (var connector = ConnectorProcess.start(settings, START)) {
            var ports = settings.properties().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("web.http.") && e.getKey().endsWith(".port"))
                    .map(e -> Integer.parseInt(e.getValue())).toList();
            assertThat(ports).as("default, management, protocol, control, auditor, identity, metrics, console").hasSize(8);
            for (var port : ports) {
                try (var socket = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
                    socket.startHandshake();
                    assertThat(socket.getSession().getProtocol()).as("port %d", port).isIn("TLSv1.3", "TLSv1.2");
                }
            }
            var management = new ManagementClient(settings.managementUrl().replace("http://", "https://"), settings.managementKey(), ca.clientContext());
            assertThat(management.post("/v3/assets/request", ManagementClient.body("QuerySpec"))).isEmpty();
            // the console's forwarder reaches the management context over TLS (it pins the connector's own certificate)
            var console = new ManagementClient(settings.consoleUrl().replace("http://", "https://") + "api/management", settings.managementKey(), ca.clientContext());
            assertThat(console.post("/v3/assets/request", ManagementClient.body("QuerySpec"))).isEmpty();
            assertThat(connector.logTail(300)).contains("TLS: web contexts serve HTTPS");
        }
    }

    @Nested
    class StartRefused {

        @Test
        void whenTheKeystoreIsMissing() throws Exception {
            var settings = tls("tls-missing");
            settings.with("kakehashi.tls.keystore", settings.directory().resolve("absent.p12").toString());
            assertRefused(settings, "kakehashi.tls.keystore", "does not exist");
        }

        @Test
        void whenTheKeystoreIsNoKeystore() throws Exception {
            var settings = tls("tls-garbage");
            Files.writeString(Path.of(settings.properties().get("kakehashi.tls.keystore")), "not a keystore");
            assertRefused(settings, "kakehashi.tls.keystore", "cannot be opened");
        }

        @Test
        void whenTheCertificateNamesAnotherHost() throws Exception {
            assertRefused(tls("tls-other-host", "connector.example.de"), "kakehashi.tls.keystore", "connector.example.de");
        }

        @Test
        void whenNoPasswordIsGiven() throws Exception {
            assertRefused(tls("tls-no-password", false), "kakehashi.tls.keystore", PASSWORD_ENV);
        }

        @Test
        void whenTheControlContextHasNoHttpsEndpoint() throws Exception {
            assertRefused(tls("tls-control").without("edc.control.endpoint"), "edc.control.endpoint", "kakehashi.tls.plain-contexts");
        }

        @Test
        void whenTheLoopbackShortcutMeetsADidOnAnotherHost() throws Exception {
            assertRefused(tls("tls-shortcut").with("kakehashi.identity.did", "did:web:connector.example.jp%3A8184:identity")
                    .with("edc.participant.id", "did:web:connector.example.jp%3A8184:identity"), "kakehashi.identity.did.http-loopback", "connector.example.jp");
        }

        private void assertRefused(ConnectorSettings settings, String key, String reason) {
            assertThatThrownBy(() -> ConnectorProcess.start(settings, START).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited")
                    .hasMessageContaining(key)
                    .hasMessageContaining(reason);
        }
    }
}
