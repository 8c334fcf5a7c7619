package io.kakehashi.samples.launcher;

import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The production launcher jar as an operator meets it.
 */
@Tag("EndToEndTest")
class LauncherStartupTest {

    private static final Duration START = Duration.ofSeconds(90);
    private final Path workDir = Path.of("target", "launcher-checks");

    private ConnectorSettings settings(String name) {
        // an authority nobody serves: these checks start connectors, they never verify a peer
        return untrusting(name).trustIssuer("dataspace", "did:web:127.0.0.1%3A9:authority");
    }

    private ConnectorSettings untrusting(String name) {
        return new ConnectorSettings(name, workDir.resolve(name + "-" + System.nanoTime()));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void start_shouldListenOnLoopbackOnly() throws IOException {
        var settings = settings("loopback");
        try (var connector = ConnectorProcess.start(settings, START)) {
            var ports = settings.properties().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("web.http.") && e.getKey().endsWith(".port")
                            || e.getKey().equals("kakehashi.transfer.grpc.port"))
                    .map(e -> Integer.parseInt(e.getValue()))
                    .toList();
            assertThat(ports).hasSize(9);

            var listening = listeningSockets();
            for (var port : ports) {
                assertThat(listening).as("sockets listening on port %d", port)
                        .filteredOn(socket -> socket.port() == port).isNotEmpty()
                        .allSatisfy(socket -> assertThat(socket.loopback()).as("%s", socket).isTrue());
            }
        }
    }

    /**
     * One connector with {@code kakehashi.web.host} set to another address, shared by the checks of where it binds
     * each port: the checks only read the kernel's socket tables and send one unauthenticated request, so a connector
     * of their own each (a launcher start apiece) showed nothing more.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnAnotherAddress {

        private ConnectorSettings settings;
        private ConnectorProcess connector;

        @BeforeAll
        void start() {
            // 127.0.0.2 is loopback too, but a different address: the setting is honoured, not ignored
            settings = settings("other-host").with("kakehashi.web.host", "127.0.0.2");
            connector = ConnectorProcess.start(settings, START);
        }

        @AfterAll
        void stop() {
            if (connector != null) {
                connector.close();
            }
        }

        @Test
        void start_withTheWebHostSetToAnotherAddress_shouldBindThere() throws IOException {
            var port = Integer.parseInt(settings.properties().get("web.http.management.port"));
            assertThat(listeningSockets()).filteredOn(socket -> socket.port() == port)
                    .isNotEmpty()
                    .allSatisfy(socket -> assertThat(socket.address()).endsWith("0200007F"));
        }

        @Test
        @EnabledOnOs(OS.LINUX)
        void start_withTheWebHostSetToAnotherAddress_shouldBindTheGrpcPortThereToo() throws IOException {
            // the gRPC port used to stay on 127.0.0.1 while every HTTP port moved to kakehashi.web.host
            var port = Integer.parseInt(settings.properties().get("kakehashi.transfer.grpc.port"));
            assertThat(listeningSockets()).as("sockets listening on the gRPC port %d", port)
                    .filteredOn(socket -> socket.port() == port)
                    .isNotEmpty()
                    .allSatisfy(socket -> assertThat(socket.address()).endsWith("0200007F"));
        }

        @Test
        @EnabledOnOs(OS.LINUX)
        void start_withTheWebHostSetToAnotherAddress_shouldKeepTheMetricsEndpointOnLoopback() throws IOException {
            // the metrics port binds to kakehashi.web.metrics.host (loopback by default), not to kakehashi.web.host
            var port = Integer.parseInt(settings.properties().get("web.http.metrics.port"));
            assertThat(listeningSockets()).as("sockets listening on the metrics port %d", port)
                    .filteredOn(socket -> socket.port() == port)
                    .isNotEmpty()
                    .allSatisfy(socket -> assertThat(socket.address()).endsWith("0100007F"));
        }

        @Test
        @EnabledOnOs(OS.LINUX)
        void start_withTheWebHostSetToAnotherAddress_shouldKeepTheControlApiOnLoopbackAndClosed() throws Exception {
            // the control API (data-plane signaling, selector) followed kakehashi.web.host and answered anyone
            var port = Integer.parseInt(settings.properties().get("web.http.control.port"));
            assertThat(listeningSockets()).as("sockets listening on the control port %d", port)
                    .filteredOn(socket -> socket.port() == port)
                    .isNotEmpty()
                    .allSatisfy(socket -> assertThat(socket.address()).endsWith("0100007F"));
            // no key configured: a key made for this process, which no caller outside it holds
            var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(settings.controlUrl() + "/v1/dataplanes")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
        }
    }

    @Nested
    class RefusesToStart {

        @Test
        void whenTheManagementApiHasNoAuthentication() {
            assertRefused(settings("no-auth").with("web.http.management.auth.type", ""), "web.http.management.auth.type");
        }

        @Test
        void whenTheManagementApiKeyIsMissing() {
            assertRefused(settings("no-key").with("web.http.management.auth.key", ""), "web.http.management.auth.key");
        }

        @Test
        void whenTheAuditorApiHasNoAuthentication() {
            assertRefused(settings("no-auditor-auth").with("web.http.auditor.auth.type", ""), "web.http.auditor.auth.type");
        }

        @Test
        void whenTheAuditorKeyIsTheManagementKey() {
            var settings = settings("shared-key");
            assertRefused(settings.with("web.http.auditor.auth.key", settings.managementKey()), "must differ from 'web.http.management.auth.key'");
        }

        @Test
        void whenTheDenialDisclosureIsUnknown() {
            assertRefused(settings("bad-disclosure").with("kakehashi.policy.denial.disclosure", "everything"), "kakehashi.policy.denial.disclosure");
        }

        @Test
        void whenTheVaultPasswordIsMissing() {
            assertRefused(settings("no-vault-password").vaultPassword(null), "kakehashi.vault.password");
        }

        @Test
        void whenTheVaultPasswordIsWrong() {
            var settings = settings("wrong-vault-password");
            ConnectorProcess.start(settings, START).close();

            assertRefused(settings.vaultPassword("not-the-password-of-this-vault"), "does not open");
        }

        @Test
        void whenTheWebHostIsNotAnAddress() {
            assertRefused(settings("bad-host").with("kakehashi.web.host", "http://0.0.0.0"), "kakehashi.web.host");
        }

        @Test
        void whenTheWebHostIsTheWildcardAndTheGrpcEndpointHasNoPublicHost() {
            assertRefused(settings("wildcard-grpc").with("kakehashi.web.host", "0.0.0.0"), "kakehashi.transfer.grpc.public-host");
        }

        @Test
        void whenTheControlHostIsNotAnAddress() {
            assertRefused(settings("bad-control-host").with("kakehashi.web.control.host", "http://127.0.0.1"), "kakehashi.web.control.host");
        }

        @Test
        void whenTheControlApiKeyIsInTheSettingsFile() {
            assertRefused(settings("control-key-in-file").with("web.http.control.auth.key", "control-key-0123456789"), "WEB_HTTP_CONTROL_AUTH_KEY");
        }

        @Test
        void whenTheControlApiHasAnotherAuthenticationType() {
            assertRefused(settings("control-delegated").with("web.http.control.auth.type", "delegated"), "web.http.control.auth.type");
        }

        @Test
        void whenTheParticipantIdIsNotADid() {
            assertRefused(settings("not-a-did").with("edc.participant.id", "jp-machine-tool-maker").without("kakehashi.identity.did"),
                    "edc.participant.id");
        }

        @Test
        void whenNoIssuerIsTrusted() {
            assertRefused(untrusting("no-trust-anchor"), "kakehashi.identity.trusted-issuers");
        }

        @Test
        void whenTheDatasourceUrlIsNotPostgres() {
            assertRefused(settings("not-postgres").with("edc.datasource.default.url", "jdbc:h2:mem:test"), "edc.datasource.default.url");
        }

        private void assertRefused(ConnectorSettings settings, String key) {
            assertThatThrownBy(() -> ConnectorProcess.start(settings, START).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited")
                    .hasMessageContaining(key);
        }
    }

    @Test
    void jar_shouldHoldNoMockIdentityNoTestSeedsAndNoStoreThatForcesPostgres() throws IOException {
        try (var jar = new ZipFile(ConnectorProcess.launcherJar().toFile())) {
            var names = jar.stream().map(entry -> entry.getName()).toList();
            assertThat(names).noneMatch(name -> name.startsWith("org/eclipse/edc/iam/mock/"))
                    .noneMatch(name -> name.startsWith("org/eclipse/edc/tck/"))
                    .noneMatch(name -> name.startsWith("org/eclipse/edc/junit/"))
                    // EDC's token-based authentication compares keys ignoring case; connector-core's replaces it
                    .noneMatch(name -> name.startsWith("org/eclipse/edc/api/auth/token/"));
            var extensions = new String(jar.getInputStream(jar.getEntry("META-INF/services/org.eclipse.edc.spi.system.ServiceExtension")).readAllBytes());
            assertThat(extensions).contains("io.kakehashi.identity.dcp.DcpIdentityExtension", "io.kakehashi.identity.dcp.DcpHolderExtension",
                            "io.kakehashi.identity.dcp.DcpTokensExtension", "io.kakehashi.core.persistence.PostgresPersistenceExtension")
                    // one identity only: the trust-list identity is the offline mode, never beside the DCP one
                    .doesNotContain("io.kakehashi.identity.SelfIssuedIdentityExtension")
                    .doesNotContain("SqlAssetIndexServiceExtension", "SqlContractNegotiationStoreExtension", "SqlTransferProcessStoreExtension");
        }
    }

    /** A listening TCP socket as the kernel reports it. */
    private record Socket(String address, int port) {
        boolean loopback() {
            // IPv4 127/8, or IPv4-mapped 127/8 in an IPv6 socket, or ::1
            return address.length() == 8 ? address.endsWith("7F")
                    : address.startsWith("0000000000000000FFFF0000") && address.endsWith("7F") || address.equals("00000000000000000000000001000000");
        }
    }

    private static List<Socket> listeningSockets() throws IOException {
        var sockets = new ArrayList<Socket>();
        for (var table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            var lines = Files.readAllLines(Path.of(table));
            for (var line : lines.subList(1, lines.size())) {
                var fields = line.trim().split("\\s+");
                if ("0A".equals(fields[3])) {
                    var local = fields[1].split(":");
                    sockets.add(new Socket(local[0].toUpperCase(Locale.ROOT), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return sockets;
    }
}
