package io.kakehashi.samples.replicas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.samples.support.AuditorClient;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.DataspaceAuthority;
import io.kakehashi.samples.support.FileServer;
import io.kakehashi.samples.support.HttpSink;
import io.kakehashi.samples.support.ManagementClient;
import io.kakehashi.samples.support.WorkDirectory;
import io.kakehashi.testfixtures.Ports;
import io.kakehashi.testfixtures.PostgresTestServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One provider connector run as three replicas, and its consumers. Each replica is the launcher jar in its own JVM
 * with its own name ({@code kakehashi.replica.id}, {@code edc.component.id}: its embedded data plane registers under
 * it), its own ports, and everything that makes the connector one participant shared: the DID and participant id,
 * the vault (the first replica makes it, the others start from a copy: the DID keys and the data plane's token
 * keys), the credentials, the control API key (each replica's transfer machine signals every replica's data plane),
 * and one fresh PostgreSQL database ({@code replicas_<hex>}, dropped at the end). Peers reach the DSP and the identity
 * contexts through a {@link RoundRobinProxy} each: the provider's DID and its DSP callback address name the proxies.
 * The consumers are single launcher processes on the embedded default. An authority issues every credential.
 * <p>
 * The provider's assets are published through the first replica before the others start, since a replica's DSP
 * catalog learns of assets another replica saved only at its start or its refill
 * ({@code kakehashi.catalog.dsp.refill-interval}).
 * <p>
 * Not thread-safe, except for the management calls.
 */
final class ReplicatedDataspace implements AutoCloseable {

    static final String DATASPACE = "replicas-dataspace";
    static final String OPEN_POLICY = "replicas-open";
    static final int ASSETS = 4;
    private static final Duration START = Duration.ofSeconds(240);

    private final Path workDir;
    private final String database;
    private final DataspaceAuthority authority;
    private final FileServer backend;
    private final HttpSink sink;
    private final List<ConnectorSettings> replicaSettings = new ArrayList<>();
    private final List<ConnectorSettings> consumerSettings = new ArrayList<>();
    private final List<ConnectorProcess> replicas = new ArrayList<>();
    private final List<ConnectorProcess> consumers = new ArrayList<>();
    private final List<byte[]> assetData = new ArrayList<>();
    private RoundRobinProxy dspProxy;
    private RoundRobinProxy identityProxy;

    private ReplicatedDataspace(Path workDir) {
        this.workDir = workDir.toAbsolutePath();
        WorkDirectory.clear(this.workDir);
        this.database = "replicas_" + Long.toHexString(System.nanoTime());
        PostgresTestServer.get().createDatabase(database);
        this.authority = DataspaceAuthority.start(this.workDir.resolve("authority"), "authority", new PrintStream(OutputStream.nullOutputStream()));
        this.backend = FileServer.serve(this.workDir.resolve("provider-backend"));
        this.sink = HttpSink.receiveInto(this.workDir.resolve("consumer-inbox"));
    }

    /**
     * Starts the provider's replicas (the first alone, then its assets, then the other two) and {@code consumerCount}
     * consumers; returns when all are ready and every replica's data plane is registered.
     */
    static ReplicatedDataspace start(Path workDir, int replicaCount, int consumerCount) {
        var dataspace = new ReplicatedDataspace(workDir);
        try {
            dataspace.startAll(replicaCount, consumerCount);
            return dataspace;
        } catch (RuntimeException | IOException e) {
            dataspace.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private void startAll(int replicaCount, int consumerCount) throws IOException {
        // the proxies' ports first: the provider's DID and callback address name them
        var identityPort = Ports.freePort();
        var did = "did:web:127.0.0.1%3A" + identityPort + ":identity";
        var controlKey = "control-" + UUID.randomUUID();
        var server = PostgresTestServer.get();
        for (var i = 0; i < replicaCount; i++) {
            var name = "provider-" + (char) ('a' + i);
            var settings = new ConnectorSettings(name, workDir.resolve(name))
                    .with("edc.participant.id", did)
                    .with("kakehashi.identity.did", did)
                    .with("kakehashi.replica.id", name)
                    .environment("WEB_HTTP_CONTROL_AUTH_KEY", controlKey)
                    .trustIssuer("replicas", authority.did())
                    .postgres(server.url(database), server.user());
            if (i > 0) {
                // the credentials the authority issued to the participant, in the first replica's directory
                settings.vaultPassword(replicaSettings.get(0).vaultPassword())
                        .with("kakehashi.identity.credentials.dir", replicaSettings.get(0).credentialsDirectory().toString());
            }
            replicaSettings.add(settings);
        }
        dspProxy = RoundRobinProxy.start("DSP", replicaSettings.stream().map(s -> origin(s.protocolUrl())).toList());
        identityProxy = startIdentityProxy(identityPort);
        for (var settings : replicaSettings) {
            settings.with("edc.dsp.callback.address", dspProxy.url() + "/protocol");
        }
        authority.issueMembership(replicaSettings.get(0), DATASPACE);
        for (var i = 0; i < consumerCount; i++) {
            var name = "consumer-" + (i + 1);
            var settings = new ConnectorSettings(name, workDir.resolve(name)).trustIssuer("replicas", authority.did());
            authority.issueMembership(settings, DATASPACE);
            consumerSettings.add(settings);
        }
        var consumerStarts = consumerSettings.stream()
                .map(settings -> CompletableFuture.supplyAsync(() -> ConnectorProcess.start(settings, START))).toList();
        replicas.add(ConnectorProcess.start(replicaSettings.get(0), START));
        publishAssets();
        var vault = replicaSettings.get(0).directory().resolve("data/vault.p12");
        var others = new ArrayList<CompletableFuture<ConnectorProcess>>();
        for (var settings : replicaSettings.subList(1, replicaSettings.size())) {
            Files.createDirectories(settings.directory().resolve("data"));
            Files.copy(vault, settings.directory().resolve("data/vault.p12"), StandardCopyOption.REPLACE_EXISTING);
            others.add(CompletableFuture.supplyAsync(() -> ConnectorProcess.start(settings, START)));
        }
        for (var start : others) {
            replicas.add(start.join());
        }
        for (var start : consumerStarts) {
            consumers.add(start.join());
        }
    }

    /** The identity proxy on a port chosen before the replicas' settings, since the DID names it. */
    private RoundRobinProxy startIdentityProxy(int port) {
        var backends = replicaSettings.stream().map(s -> "http://127.0.0.1:" + identityPortOf(s)).toList();
        return RoundRobinProxy.startOn("identity", port, backends);
    }

    private static String identityPortOf(ConnectorSettings settings) {
        return settings.properties().get("web.http.identity.port");
    }

    private void publishAssets() throws IOException {
        var api = replicaApi(0);
        api.createOpenPolicy(OPEN_POLICY);
        var random = new SecureRandom();
        Files.createDirectories(workDir.resolve("provider-backend"));
        for (var i = 0; i < ASSETS; i++) {
            var data = new byte[(32 + 48 * i) * 1024 + i];
            random.nextBytes(data);
            assetData.add(data);
            var file = "data-%d.bin".formatted(i);
            Files.write(workDir.resolve("provider-backend").resolve(file), data);
            api.createAsset(assetId(i), Map.of("name", "replicated asset " + i), Map.of("type", "HttpData", "baseUrl", backend.urlOf(file)));
            api.createContractDefinition(assetId(i) + "-offer", OPEN_POLICY, OPEN_POLICY, assetId(i));
        }
    }

    static String assetId(int index) {
        return "replicated-asset-" + index;
    }

    private static String origin(String url) {
        var uri = java.net.URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
    }

    /** The provider's DSP address as the consumers use it: the proxy. */
    String providerDspAddress() {
        return dspProxy.url() + "/protocol" + ConnectorSettings.DSP_2025_PATH;
    }

    String providerId() {
        return replicaSettings.get(0).participantId();
    }

    RoundRobinProxy dspProxy() {
        return dspProxy;
    }

    RoundRobinProxy identityProxy() {
        return identityProxy;
    }

    HttpSink sink() {
        return sink;
    }

    byte[] assetData(int index) {
        return assetData.get(index);
    }

    int replicaCount() {
        return replicas.size();
    }

    int consumerCount() {
        return consumers.size();
    }

    List<ConnectorProcess> replicas() {
        return List.copyOf(replicas);
    }

    List<ConnectorProcess> consumers() {
        return List.copyOf(consumers);
    }

    ManagementClient replicaApi(int index) {
        var settings = replicaSettings.get(index);
        return new ManagementClient(settings.managementUrl(), settings.managementKey());
    }

    AuditorClient replicaAuditor(int index) {
        var settings = replicaSettings.get(index);
        return new AuditorClient(settings.auditorUrl(), settings.auditorKey());
    }

    ManagementClient consumerApi(int index) {
        var settings = consumerSettings.get(index);
        return new ManagementClient(settings.managementUrl(), settings.managementKey());
    }

    String database() {
        return database;
    }

    Connection connect() throws SQLException {
        return PostgresTestServer.get().connect(database);
    }

    /** A consumer's offer for one of the provider's assets, from the provider's catalog (through the proxy). */
    ObjectNode offer(int consumer, int asset) {
        var catalog = consumerApi(consumer).requestCatalog(providerDspAddress(), providerId());
        for (var dataset : ManagementClient.datasets(catalog)) {
            if (assetId(asset).equals(dataset.path("@id").asText())) {
                return ManagementClient.contractOffer(catalog, dataset);
            }
        }
        throw new IllegalStateException("the provider's catalog does not list " + assetId(asset) + ": " + catalog);
    }

    /** Every entry a query endpoint of a consumer or of the provider (through its first replica) lists. */
    static JsonNode all(ManagementClient api, String path) {
        return api.post(path, ManagementClient.body("QuerySpec").put("limit", 1_000_000));
    }

    @Override
    public void close() {
        for (var process : consumers) {
            process.close();
        }
        for (var process : replicas) {
            process.close();
        }
        for (var closeable : new AutoCloseable[]{dspProxy, identityProxy, sink, backend, authority}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                System.err.println("could not close " + closeable + ": " + e);
            }
        }
        try (var connection = PostgresTestServer.get().connect("postgres"); var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.printf("could not drop %s: %s%n", database, e.getMessage());
        }
    }
}
