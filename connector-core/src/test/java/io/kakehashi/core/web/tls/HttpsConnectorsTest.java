package io.kakehashi.core.web.tls;

import io.kakehashi.testfixtures.TestDataspaceCa;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Jetty connectors turned into HTTPS ones, reached by the runtime's OkHttp client with the dataspace trust.
 */
class HttpsConnectorsTest {

    private static final char[] PASSWORD = "keystore-secret".toCharArray();

    private final TestDataspaceCa ca = TestDataspaceCa.create("Test Dataspace CA");
    private final List<String> warnings = new ArrayList<>();
    private final Monitor monitor = new Monitor() {
        @Override
        public void warning(String message, Throwable... errors) {
            warnings.add(message);
        }
    };
    private Server server;

    @TempDir
    Path directory;

    @BeforeEach
    void setUp() {
        server = new Server();
    }

    @AfterEach
    void tearDown() throws Exception {
        server.stop();
    }

    @Test
    void configure_whenContextIsNotPlain_shouldServeHttpsTrustedThroughTheDataspaceBundle() throws Exception {
        var connectors = connectors(Set.of());
        var port = start(connectors, "protocol");

        var client = client(ca.writePem(directory.resolve("cas.pem")));
        try (var response = client.newCall(new Request.Builder().url("https://localhost:%d/".formatted(port)).build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).isEqualTo("https");
            assertThat(response.handshake().tlsVersion().javaName()).isIn("TLSv1.3", "TLSv1.2");
        }
        assertThat(connectors.httpsConnectorCount()).isEqualTo(1);
    }

    @Test
    void configure_whenContextIsPlain_shouldStayHttp() throws Exception {
        var connectors = connectors(Set.of("management"));
        var port = start(connectors, "management");

        try (var response = client(null).newCall(new Request.Builder().url("http://localhost:%d/".formatted(port)).build()).execute()) {
            assertThat(response.body().string()).isEqualTo("http");
        }
        assertThat(connectors.httpsConnectorCount()).isZero();
    }

    @Test
    void call_whenPeerCaIsNotTrusted_shouldFailAndLogTheRefusal() throws Exception {
        var port = start(connectors(Set.of()), "protocol");
        var client = client(null);

        assertThatThrownBy(() -> client.newCall(new Request.Builder().url("https://localhost:%d/".formatted(port)).build()).execute())
                .isInstanceOf(SSLException.class);
        assertThat(warnings).anySatisfy(message -> assertThat(message).contains("not trusted").contains("localhost").contains("CN=Test Dataspace CA"));
    }

    @Test
    void call_whenCertificateNamesAnotherHost_shouldFailAndLogTheRefusal() throws Exception {
        var keystore = ServerKeystore.load(ca.writeServerKeystore(directory.resolve("other.p12"), PASSWORD, "other.example.jp", "localhost"),
                PASSWORD, "other.example.jp").getContent();
        var port = start(new HttpsConnectors(keystore, PASSWORD, Set.of()), "protocol");
        var client = client(ca.writePem(directory.resolve("cas.pem")));

        // 127.0.0.1 is not among the names the certificate gives
        assertThatThrownBy(() -> client.newCall(new Request.Builder().url("https://127.0.0.1:%d/".formatted(port)).build()).execute())
                .isInstanceOf(SSLException.class);
        assertThat(warnings).anySatisfy(message -> assertThat(message).contains("does not name that host").contains("127.0.0.1"));
    }

    @Test
    void handshake_whenClientOffersOnlyTls11_shouldBeRefused() throws Exception {
        var port = start(connectors(Set.of()), "protocol");
        var trust = DataspaceTrust.create(ca.writePem(directory.resolve("cas.pem")), monitor).getContent();

        try (var socket = (SSLSocket) trust.sslContext().getSocketFactory().createSocket("localhost", port)) {
            socket.setEnabledProtocols(new String[]{ "TLSv1.1" });
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLException.class);
        } catch (IllegalArgumentException unsupported) {
            // a JDK that cannot even offer TLS 1.1 refuses it as well
        }
    }

    @Test
    void replace_whenKeystoreIsRenewed_shouldServeNewConnectionsWithTheNewCertificate() throws Exception {
        var connectors = connectors(Set.of());
        var port = start(connectors, "protocol");
        var trust = DataspaceTrust.create(ca.writePem(directory.resolve("cas.pem")), monitor).getContent();
        var before = serverCertificate(trust, port);

        var renewed = ServerKeystore.load(ca.writeServerKeystore(directory.resolve("renewed.p12"), PASSWORD, "localhost"), PASSWORD, "localhost").getContent();
        connectors.replace(renewed, PASSWORD);

        var after = serverCertificate(trust, port);
        assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
        assertThat(after).isEqualTo(renewed.keyStore().getCertificate("server"));
    }

    private X509Certificate serverCertificate(DataspaceTrust trust, int port) throws Exception {
        try (var socket = (SSLSocket) trust.sslContext().getSocketFactory().createSocket("localhost", port)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private HttpsConnectors connectors(Set<String> plain) throws Exception {
        var file = ca.writeServerKeystore(directory.resolve("tls.p12"), PASSWORD, "localhost");
        return new HttpsConnectors(ServerKeystore.load(file, PASSWORD, "localhost").getContent(), PASSWORD, plain);
    }

    private int start(HttpsConnectors connectors, String contextName) throws Exception {
        var connector = new ServerConnector(server, new HttpConnectionFactory());
        connector.setName(contextName);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connectors.configure(connector);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, Response response, Callback callback) {
                response.write(true, ByteBuffer.wrap((request.isSecure() ? "https" : "http").getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
        return connector.getLocalPort();
    }

    private OkHttpClient client(Path bundle) {
        var trust = DataspaceTrust.create(bundle, monitor).getContent();
        return PeerTrustExtension.withTrust(new OkHttpClient(), trust, monitor);
    }
}
