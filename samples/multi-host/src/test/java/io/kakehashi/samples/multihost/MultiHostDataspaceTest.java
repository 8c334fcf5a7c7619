package io.kakehashi.samples.multihost;

import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.DataspaceAuthority;
import io.kakehashi.samples.support.FileServer;
import io.kakehashi.samples.support.ManagementClient;
import io.kakehashi.samples.support.Sha256;
import io.kakehashi.samples.support.WorkDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dataspace across real networks: the authority, a Japanese provider and a German consumer each on its own
 * network host (a Linux network namespace with its own address on a bridge), addressed by host name through a hosts
 * file of the test's own, with certificates from a test dataspace CA and HTTPS on every web context. DIDs carry the
 * host names and resolve as did:web says, over HTTPS with the certificate checked; the loopback shortcut is off. The
 * consumer reads the provider's catalog, negotiates an agreement and pulls a file over gRPC across the hosts.
 * Skipped, with the reason, where namespaces cannot be made (not root, no {@code ip}).
 */
@Tag("EndToEndTest")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiHostDataspaceTest {

    private static final Duration START = Duration.ofSeconds(150);
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final String DATASPACE = "multi-host-dataspace";
    private static final String AUTHORITY_HOST = "authority.dataspace.test";
    private static final String PROVIDER_HOST = "provider.jp.test";
    private static final String CONSUMER_HOST = "consumer.de.test";

    private final Path workDir = Path.of("target", "multi-host").toAbsolutePath().resolve("run");
    private final Path hostsFile = Path.of(System.getProperty("kakehashi.multihost.hosts-file", "target/multi-host/hosts")).toAbsolutePath();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    private DataspaceNetwork network;
    private DataspaceAuthority authority;
    private ConnectorSettings providerSettings;
    private ConnectorSettings consumerSettings;
    private ConnectorProcess provider;
    private ConnectorProcess consumer;
    private FileServer backend;
    private NetworkHosts.Host providerHost;

    @BeforeAll
    void startDataspace() throws Exception {
        var reason = NetworkHosts.unavailableBecause();
        assumeTrue(reason == null, () -> "skipped: " + reason);
        WorkDirectory.clear(workDir);
        network = new DataspaceNetwork(workDir, hostsFile, "Multi-host Test Dataspace CA", List.of(AUTHORITY_HOST, PROVIDER_HOST, CONSUMER_HOST));
        try {
            providerHost = network.host(PROVIDER_HOST);
            authority = network.authority(AUTHORITY_HOST, workDir.resolve("authority"), "authority", System.out);
            toClose.add(authority);
            providerSettings = connector("provider", PROVIDER_HOST);
            consumerSettings = connector("consumer", CONSUMER_HOST);
            authority.issueMembership(providerSettings, DATASPACE);
            authority.issueMembership(consumerSettings, DATASPACE);

            var providerStart = CompletableFuture.supplyAsync(() -> ConnectorProcess.start(providerSettings, START));
            var consumerStart = CompletableFuture.supplyAsync(() -> ConnectorProcess.start(consumerSettings, START));
            provider = providerStart.join();
            toClose.add(provider);
            consumer = consumerStart.join();
            toClose.add(consumer);

            // the provider's backend on its private network: the bridge's address, which only the hosts reach
            backend = FileServer.serve(Files.createDirectories(workDir.resolve("backend")), InetAddress.getByName(network.gatewayAddress()));
            toClose.add(backend);
        } catch (Exception | Error e) {
            stopDataspace();
            throw e;
        }
    }

    @AfterAll
    void stopDataspace() {
        var reversed = new ArrayList<>(toClose);
        java.util.Collections.reverse(reversed);
        for (var closeable : reversed) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // the namespaces go below regardless
            }
        }
        toClose.clear();
        if (network != null) {
            network.close();
        }
    }

    @Test
    void catalogNegotiationAndGrpcPull_shouldRunAcrossHostsOverTls() throws Exception {
        var file = workDir.resolve("backend/spindle-load.bin");
        var bytes = new byte[6 * 1024 * 1024 + 123];
        new Random(17).nextBytes(bytes);
        Files.write(file, bytes);
        var assetId = "spindle-load-" + UUID.randomUUID();
        var providerApi = management(providerSettings);
        providerApi.createOpenPolicy("open");
        providerApi.createAsset(assetId, Map.of("name", "spindle load, Nagoya plant"),
                Map.of("type", "HttpData", "baseUrl", backend.urlOf(file.getFileName().toString())));
        providerApi.createContractDefinition(assetId + "-offer", "open", "open", assetId);

        var consumerApi = management(consumerSettings);
        var catalog = consumerApi.requestCatalog(providerSettings.dspAddress(), providerSettings.participantId());
        var dataset = java.util.stream.StreamSupport.stream(ManagementClient.datasets(catalog).spliterator(), false).filter(d -> assetId.equals(d.path("@id").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("the provider's catalog does not list " + assetId + ": " + catalog));
        var negotiationId = consumerApi.negotiate(providerSettings.dspAddress(), ManagementClient.contractOffer(catalog, dataset));
        var agreementId = consumerApi.awaitAgreement(negotiationId, STEP).path("contractAgreementId").asText();

        var landed = Files.createDirectories(workDir.resolve("consumer-inbox")).resolve("spindle-load.bin");
        var transferId = consumerApi.transferGrpcPull(providerSettings.dspAddress(), providerSettings.participantId(), agreementId, landed);
        consumerApi.awaitCompleted(transferId, STEP);

        assertThat(Sha256.of(landed)).isEqualTo(Sha256.of(file));
        assertThat(providerSettings.participantId()).startsWith("did:web:" + PROVIDER_HOST + "%3A");
        assertThat(providerSettings.dspAddress()).startsWith("https://" + PROVIDER_HOST + ":");
        assertThat(providerSettings.properties()).doesNotContainKey("kakehashi.identity.did.http-loopback");
        assertThat(provider.logTail(400)).contains("web contexts serve HTTPS");
        assertThat(consumer.logTail(400)).contains("web contexts serve HTTPS").doesNotContain("is not trusted")
                .doesNotContain("HTTPS enforcement it not enabled");
    }

    /**
     * The provider's host loses its link in the middle of a bulk transfer, long enough for the consumer's gRPC call to
     * fail (its keepalive ping, sent after {@code GrpcChannels.KEEPALIVE} without a read, goes unanswered for
     * {@code KEEPALIVE_TIMEOUT}), and a negotiation is requested while it is gone. The link comes back as soon as the
     * consumer logged the failed call: the consumer's data plane calls again from the offset it holds durably, the
     * provider reads its source from there (its backend runs on its own host, so the cut parts only the two
     * connectors), the file arrives byte-exact, and the negotiation, whose DSP request the consumer retries, ends
     * FINALIZED.
     */
    @Test
    void linkCut_longerThanKeepalive_shouldResumeFromOffsetAndFinalize() throws Exception {
        var content = new byte[8 * 1024 * 1024 + 7];
        new Random(29).nextBytes(content);
        var assetId = "inspection-records-" + UUID.randomUUID();
        var expected = writeTo(workDir.resolve("expected-" + assetId + ".bin"), content);
        var backendLog = workDir.resolve("provider-backend-" + assetId + ".log");
        var backendProcess = startSlowBackendOn(providerHost, assetId + ".bin", expected, backendLog);
        try {
            var providerApi = management(providerSettings);
            providerApi.createOpenPolicy("open-" + assetId);
            providerApi.createAsset(assetId, Map.of("name", "corrosion inspection records"),
                    Map.of("type", "HttpData", "baseUrl", "http://127.0.0.1:%d/%s.bin".formatted(awaitPort(backendLog, backendProcess), assetId)));
            providerApi.createContractDefinition(assetId + "-offer", "open-" + assetId, "open-" + assetId, assetId);
            var consumerApi = management(consumerSettings);
            var catalog = consumerApi.requestCatalog(providerSettings.dspAddress(), providerSettings.participantId());
            var dataset = java.util.stream.StreamSupport.stream(ManagementClient.datasets(catalog).spliterator(), false)
                    .filter(d -> assetId.equals(d.path("@id").asText())).findFirst().orElseThrow();
            var offer = ManagementClient.contractOffer(catalog, dataset);
            var agreementId = consumerApi.awaitAgreement(consumerApi.negotiate(providerSettings.dspAddress(), offer), STEP)
                    .path("contractAgreementId").asText();

            var landed = Files.createDirectories(workDir.resolve("consumer-inbox")).resolve(assetId + ".bin");
            var transferId = consumerApi.transferGrpcPull(providerSettings.dspAddress(), providerSettings.participantId(), agreementId, landed);
            var deadline = Instant.now().plus(STEP);
            long moved = 0;
            while (moved == 0 && Instant.now().isBefore(deadline)) {
                moved = consumerApi.transferProgress(transferId).path("bytes").asLong(0);
                Thread.sleep(50);
            }
            assertThat(moved).as("the transfer has started moving data").isPositive();

            var logBefore = Files.size(consumer.log());
            network.hosts().link(providerHost, false);
            String negotiationDuringCut;
            java.util.regex.Matcher interruption;
            try {
                negotiationDuringCut = consumerApi.negotiate(providerSettings.dspAddress(), offer);
                // the cut lasts until the consumer's call failed: about KEEPALIVE + KEEPALIVE_TIMEOUT after the last chunk
                interruption = awaitLogLine(consumer.log(), logBefore, INTERRUPTED, Duration.ofSeconds(120));
                assertThat(consumerApi.transferProgress(transferId).path("bytes").asLong(0)).as("no transfer completes through a cut link")
                        .isLessThan(content.length);
            } finally {
                network.hosts().link(providerHost, true);
            }
            assertThat(interruption).as("the consumer's gRPC call failed during the cut (consumer log)").isNotNull();
            var resumeOffset = Long.parseLong(interruption.group(2));
            assertThat(resumeOffset).as("the durable offset the consumer resumes from").isPositive().isLessThan(content.length);

            consumerApi.awaitCompleted(transferId, Duration.ofSeconds(120));
            assertThat(Sha256.of(landed)).isEqualTo(Sha256.of(expected));
            // the provider answered the new call from that offset: its backend was asked for the rest from there
            assertThat(Files.readAllLines(backendLog)).as("the requests the provider's backend received")
                    .contains("GET /%s.bin from %d".formatted(assetId, resumeOffset));
            assertThat(consumerApi.awaitAgreement(negotiationDuringCut, Duration.ofSeconds(120)).path("state").asText()).isEqualTo("FINALIZED");
        } finally {
            backendProcess.destroy();
            backendProcess.waitFor();
        }
    }

    /** The consumer's data plane's line when a call of a bulk pull fails and it calls again from the durable offset. */
    private static final java.util.regex.Pattern INTERRUPTED = java.util.regex.Pattern.compile(
            "bulk pull of \\S+ interrupted \\((\\w+)\\), resuming at (\\d+)");

    /** The first match of {@code pattern} in what the log gained after {@code from} bytes, or null if none in time. */
    private static java.util.regex.Matcher awaitLogLine(Path log, long from, java.util.regex.Pattern pattern, Duration timeout) throws Exception {
        var deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            var bytes = Files.readAllBytes(log);
            var matcher = pattern.matcher(new String(bytes, (int) Math.min(from, bytes.length), (int) Math.max(0, bytes.length - from), StandardCharsets.UTF_8));
            if (matcher.find()) {
                return matcher;
            }
            Thread.sleep(200);
        }
        return null;
    }

    /** Starts {@link DribblingBackend} on {@code host}, serving {@code file} as {@code name} on the host's loopback. */
    private static Process startSlowBackendOn(NetworkHosts.Host host, String name, Path file, Path log) throws IOException {
        var command = new ArrayList<>(host.run());
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), DribblingBackend.class.getName(), "127.0.0.1", name, file.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int awaitPort(Path log, Process process) throws Exception {
        var deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            for (var line : Files.readAllLines(log)) {
                if (line.startsWith("listening on ")) {
                    return Integer.parseInt(line.substring("listening on ".length()).trim());
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the provider's backend did not start: " + Files.readString(log));
    }

    private static Path writeTo(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        return file;
    }

    @Test
    void managementApi_whenAskedOverPlainHttp_shouldNotAnswer() {
        var plain = URI.create(providerSettings.managementUrl().replace("https://", "http://") + "/v3/assets/request");
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("x-api-key", providerSettings.managementKey()).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void didDocument_shouldBeServedOverHttpsUnderTheHostName() throws Exception {
        var did = providerSettings.did();
        var url = URI.create("https://%s:%s/identity/did.json".formatted(PROVIDER_HOST, did.split("%3A")[1].split(":")[0]));
        var client = HttpClient.newBuilder().sslContext(network.ca().clientContext()).connectTimeout(Duration.ofSeconds(5)).build();

        var response = client.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains(did);
    }

    private ManagementClient management(ConnectorSettings settings) {
        return new ManagementClient(settings.managementUrl(), settings.managementKey(), network.ca().clientContext());
    }

    /** A connector on its own host (see {@link DataspaceNetwork#connector}), trusting the authority's credentials. */
    private ConnectorSettings connector(String name, String hostName) {
        return network.connector(hostName, new ConnectorSettings(name, workDir.resolve(name)))
                .trustIssuer("dataspace", authority.did())
                .stateMachineWait(100);
    }
}
