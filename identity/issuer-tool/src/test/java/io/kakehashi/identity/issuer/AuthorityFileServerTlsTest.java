package io.kakehashi.identity.issuer;

import io.kakehashi.testfixtures.TestDataspaceCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import javax.net.ssl.SSLParameters;

import static org.assertj.core.api.Assertions.assertThat;

class AuthorityFileServerTlsTest {

    private static final String PASSWORD = "authority-tls-secret";
    private final TestDataspaceCa ca = TestDataspaceCa.create("Test Dataspace CA");

    @TempDir
    Path work;

    @Test
    void start_whenGivenAKeystore_shouldServeTheDidDocumentOverHttps() throws Exception {
        var authority = Authority.create(work.resolve("authority"), "did:web:localhost%3A1:authority", false).getContent();
        var keystore = ca.writeServerKeystore(work.resolve("tls.p12"), PASSWORD.toCharArray(), "localhost");
        var tls = TlsKeystore.serverContext(keystore, PASSWORD).getContent();

        try (var server = AuthorityFileServer.start(authority, "127.0.0.1", 0, tls)) {
            var parameters = new SSLParameters();
            parameters.setProtocols(new String[]{ "TLSv1.2" });
            var client = HttpClient.newBuilder().sslContext(ca.clientContext()).sslParameters(parameters).build();
            var response = client.send(HttpRequest.newBuilder(URI.create("https://localhost:%d/authority/did.json".formatted(server.port()))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("did:web:localhost%3A1:authority");
            assertThat(response.sslSession()).hasValueSatisfying(session -> assertThat(session.getProtocol()).isEqualTo("TLSv1.2"));
        }
    }

    @Test
    void serverContext_whenPasswordIsWrong_shouldFailWithoutNamingIt() throws Exception {
        var keystore = ca.writeServerKeystore(work.resolve("tls.p12"), PASSWORD.toCharArray(), "localhost");

        var result = TlsKeystore.serverContext(keystore, "not-the-password");

        assertThat(result.getFailureDetail()).contains("cannot be opened").doesNotContain("not-the-password").doesNotContain(PASSWORD);
    }

    @Test
    void serverContext_whenNoPasswordInTheEnvironment_shouldSaySo() {
        assertThat(TlsKeystore.serverContext(work.resolve("tls.p12"), null).getFailureDetail()).contains(TlsKeystore.PASSWORD_ENV);
    }
}
