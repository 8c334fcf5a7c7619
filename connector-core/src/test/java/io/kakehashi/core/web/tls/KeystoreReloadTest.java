package io.kakehashi.core.web.tls;

import io.kakehashi.testfixtures.MapVault;
import io.kakehashi.testfixtures.TestDataspaceCa;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotation without a restart: a replaced keystore file serves new connections once it passes the start-up checks.
 */
class KeystoreReloadTest {

    private static final char[] PASSWORD = "keystore-secret".toCharArray();

    private final TestDataspaceCa ca = TestDataspaceCa.create("Rotation Test CA");
    private final List<String> warnings = new ArrayList<>();
    private final Monitor monitor = new Monitor() {
        @Override
        public void warning(String message, Throwable... errors) {
            warnings.add(message);
        }
    };
    private final Server server = new Server();

    @TempDir
    Path directory;

    @AfterEach
    void tearDown() throws Exception {
        server.stop();
    }

    @Test
    void check_whenFileIsReplacedWithAValidKeystore_shouldServeTheNewCertificate() throws Exception {
        var file = ca.writeServerKeystore(directory.resolve("tls.p12"), PASSWORD, "localhost");
        var connectors = new HttpsConnectors(ServerKeystore.load(file, PASSWORD, "localhost").getContent(), PASSWORD, Set.of());
        var port = start(connectors);
        var reload = new KeystoreReload(file, "localhost", PASSWORD::clone, connectors, monitor);
        var before = certificate(port);

        assertThat(reload.check()).as("nothing changed yet").isFalse();
        replace(file, ca.writeServerKeystore(directory.resolve("renewed.p12"), PASSWORD, "localhost"));

        assertThat(reload.check()).isTrue();
        assertThat(certificate(port).getSerialNumber()).isNotEqualTo(before.getSerialNumber());
    }

    @Test
    void check_whenReplacementNamesAnotherHost_shouldKeepThePreviousKeyAndSayWhy() throws Exception {
        var file = ca.writeServerKeystore(directory.resolve("tls.p12"), PASSWORD, "localhost");
        var connectors = new HttpsConnectors(ServerKeystore.load(file, PASSWORD, "localhost").getContent(), PASSWORD, Set.of());
        var port = start(connectors);
        var reload = new KeystoreReload(file, "localhost", PASSWORD::clone, connectors, monitor);
        var before = certificate(port);

        replace(file, ca.writeServerKeystore(directory.resolve("wrong.p12"), PASSWORD, "elsewhere.example.jp"));

        assertThat(reload.check()).isFalse();
        assertThat(certificate(port)).isEqualTo(before);
        assertThat(warnings).anySatisfy(message -> assertThat(message).contains("previous key stays").contains("elsewhere.example.jp"));
    }

    @Nested
    class Password {

        @Test
        void whenVaultHoldsIt_shouldTakeTheVaultsOverTheEnvironment() {
            var vault = new MapVault();
            vault.secrets.put("tls-password", "from-vault");

            var password = HttpsPortsExtension.keystorePassword(vault, "tls-password", Map.of(HttpsPortsExtension.PASSWORD_ENV, "from-env")::get);

            assertThat(new String(password.getContent())).isEqualTo("from-vault");
        }

        @Test
        void whenOnlyTheEnvironmentHoldsIt_shouldTakeIt() {
            var password = HttpsPortsExtension.keystorePassword(new MapVault(), "tls-password", Map.of(HttpsPortsExtension.PASSWORD_ENV, "from-env")::get);

            assertThat(new String(password.getContent())).isEqualTo("from-env");
        }

        @Test
        void whenNeitherHoldsIt_shouldNameBothPlaces() {
            var password = HttpsPortsExtension.keystorePassword(new MapVault(), "tls-password", Map.<String, String>of()::get);

            assertThat(password.getFailureDetail()).contains("tls-password").contains(HttpsPortsExtension.PASSWORD_ENV);
        }
    }

    /** Moves the new file over the old one with a later modification time, as an operator's mv would. */
    private static void replace(Path file, Path replacement) throws Exception {
        Files.setLastModifiedTime(replacement, FileTime.from(Instant.now().plusSeconds(5)));
        Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private X509Certificate certificate(int port) throws Exception {
        var trust = DataspaceTrust.create(ca.writePem(directory.resolve("ca.pem")), monitor).getContent();
        try (var socket = (SSLSocket) trust.sslContext().getSocketFactory().createSocket("localhost", port)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private int start(HttpsConnectors connectors) throws Exception {
        var connector = new ServerConnector(server, new HttpConnectionFactory());
        connector.setName("protocol");
        connector.setHost("127.0.0.1");
        connectors.configure(connector);
        server.addConnector(connector);
        server.start();
        return connector.getLocalPort();
    }
}
