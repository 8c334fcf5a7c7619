package io.kakehashi.samples.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.samples.support.AuditorClient;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.DataspaceAuthority;
import io.kakehashi.samples.support.ManagementClient;
import io.kakehashi.samples.support.WorkDirectory;
import io.kakehashi.testfixtures.PostgresTestServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The two connectors the crash suite kills: a provider and a consumer, each the production launcher jar in its own
 * JVM with real DCP identity (a membership and a legal-entity credential from a dataspace authority, as in the
 * machine-tool sample), each on a fresh PostgreSQL database of its own ({@code crash_<side>_<hex>}, dropped at the
 * end). The provider offers assets from a {@link PacedSource} and from record files in its stream directory; the
 * consumer negotiates, pulls and is pushed to. Either side can be {@link #kill killed} with SIGKILL and
 * {@link #restart restarted} with the same settings.
 * <p>
 * Thread-safe for the management calls; {@link #kill} and {@link #restart} are called by one thread.
 */
final class CrashDataspace implements AutoCloseable {

    /** A side of the dataspace, the one the suite kills at a point. */
    enum Side {
        PROVIDER, CONSUMER;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final String DATASPACE = "crash-recovery-dataspace";
    static final String OPEN_POLICY = "crash-open";
    static final String EU_ONLY_POLICY = "crash-eu-only";
    static final String TRANSFER_NS = "https://w3id.org/kakehashi/transfer/";
    static final Duration START = Duration.ofSeconds(180);
    static final Duration STEP = Duration.ofSeconds(90);
    private static final String EU_EEA = "AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,RO,SK,SI,ES,SE,IS,LI,NO";

    private final Path workDir;
    private final List<String> databases = new ArrayList<>();
    private final DataspaceAuthority authority;
    private final ConnectorSettings providerSettings;
    private final ConnectorSettings consumerSettings;
    private final PacedSource source = PacedSource.start();
    private volatile ConnectorProcess provider;
    private volatile ConnectorProcess consumer;

    private CrashDataspace(Path workDir) {
        this.workDir = workDir.toAbsolutePath();
        WorkDirectory.clear(this.workDir);
        this.authority = DataspaceAuthority.start(this.workDir.resolve("authority"), "authority", new PrintStream(OutputStream.nullOutputStream()));
        this.providerSettings = settings("provider")
                .with("kakehashi.transfer.stream.directory", streamDirectory().toString())
                .with("kakehashi.policy.jurisdiction.groups.EU_EEA", EU_EEA);
        this.consumerSettings = settings("consumer");
    }

    /** Creates the databases, issues the credentials, starts both connectors side by side and publishes the policies. */
    static CrashDataspace start(Path workDir) {
        var dataspace = new CrashDataspace(workDir);
        try {
            Files.createDirectories(dataspace.streamDirectory());
            Files.createDirectories(dataspace.inbox());
            var authority = dataspace.authority;
            authority.issueMembership(dataspace.providerSettings, DATASPACE);
            authority.issueLegalEntity(dataspace.providerSettings, "Crash Provider K.K.", "JP", "JCN:1180301018771");
            authority.issueMembership(dataspace.consumerSettings, DATASPACE);
            authority.issueLegalEntity(dataspace.consumerSettings, "Crash Consumer K.K.", "JP", "JCN:7010401012347");
            var providerStart = CompletableFuture.supplyAsync(() -> ConnectorProcess.start(dataspace.providerSettings, START));
            var consumerStart = CompletableFuture.supplyAsync(() -> ConnectorProcess.start(dataspace.consumerSettings, START));
            dataspace.provider = providerStart.join();
            dataspace.consumer = consumerStart.join();
            var api = dataspace.api(Side.PROVIDER);
            api.createOpenPolicy(OPEN_POLICY);
            api.createPolicy(EU_ONLY_POLICY, ManagementClient.constraint("https://w3id.org/kakehashi/policy/consumerJurisdiction", "isAnyOf",
                    List.of("EU_EEA")));
            return dataspace;
        } catch (RuntimeException | IOException e) {
            dataspace.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private ConnectorSettings settings(String name) {
        var database = "crash_%s_%s".formatted(name, Long.toHexString(System.nanoTime()));
        var server = PostgresTestServer.get();
        server.createDatabase(database);
        databases.add(database);
        return new ConnectorSettings(name, workDir.resolve(name))
                .trustIssuer("crash", authority.did())
                .postgres(server.url(database), server.user());
    }

    Path streamDirectory() {
        return workDir.resolve("provider-streams");
    }

    /** Where the consumer's transfers write. */
    Path inbox() {
        return workDir.resolve("consumer-inbox");
    }

    Path workDir() {
        return workDir;
    }

    PacedSource source() {
        return source;
    }

    ConnectorSettings settings(Side side) {
        return side == Side.PROVIDER ? providerSettings : consumerSettings;
    }

    ConnectorProcess process(Side side) {
        return side == Side.PROVIDER ? provider : consumer;
    }

    ManagementClient api(Side side) {
        var settings = settings(side);
        return new ManagementClient(settings.managementUrl(), settings.managementKey());
    }

    AuditorClient auditor(Side side) {
        var settings = settings(side);
        return new AuditorClient(settings.auditorUrl(), settings.auditorKey());
    }

    /** Sends SIGKILL to one side and waits until its process is gone. */
    void kill(Side side) {
        process(side).kill();
    }

    /** Starts a killed side again with the same settings; returns when it is ready. */
    void restart(Side side) {
        var restarted = process(side).restart(START);
        if (side == Side.PROVIDER) {
            provider = restarted;
        } else {
            consumer = restarted;
        }
    }

    /** Registers an asset at the provider and offers it to every trusted peer under {@code contractPolicy}. */
    void publish(String assetId, Map<String, String> dataAddress, String contractPolicy) {
        var api = api(Side.PROVIDER);
        api.createAsset(assetId, Map.of("name", "crash-suite asset " + assetId), dataAddress);
        api.createContractDefinition(assetId + "-offer", OPEN_POLICY, contractPolicy, assetId);
    }

    /** The consumer's offer for one asset, from the provider's catalog filtered to it. */
    ObjectNode offer(String assetId) {
        var body = ManagementClient.body("CatalogRequest")
                .put("counterPartyAddress", providerSettings.dspAddress())
                .put("counterPartyId", providerSettings.participantId())
                .put("protocol", ConnectorSettings.DSP_2025_PROTOCOL);
        body.putObject("querySpec").putArray("filterExpression").addObject()
                .put("operandLeft", ManagementClient.EDC_NAMESPACE + "id").put("operator", "=").put("operandRight", assetId);
        var catalog = api(Side.CONSUMER).post("/v3/catalog/request", body);
        for (var dataset : ManagementClient.datasets(catalog)) {
            if (assetId.equals(dataset.path("@id").asText())) {
                return ManagementClient.contractOffer(catalog, dataset);
            }
        }
        throw new IllegalStateException("the provider's catalog does not list " + assetId + ": " + catalog);
    }

    /** Starts a negotiation at the consumer; returns the consumer's negotiation id at once. */
    String negotiate(ObjectNode offer) {
        return api(Side.CONSUMER).negotiate(providerSettings.dspAddress(), offer);
    }

    /** Negotiates an offer and waits for the agreement; returns the consumer's agreement id. */
    String agree(String assetId) {
        var api = api(Side.CONSUMER);
        return api.awaitAgreement(negotiate(offer(assetId)), STEP).path("contractAgreementId").asText();
    }

    /** Requests a gRPC transfer ({@code PULL} or {@code PUSH}) into {@code destination} on the consumer. */
    String transfer(String agreementId, String flow, Path destination) {
        var body = ManagementClient.body("TransferRequest")
                .put("counterPartyAddress", providerSettings.dspAddress())
                .put("connectorId", providerSettings.participantId())
                .put("contractId", agreementId)
                .put("protocol", ConnectorSettings.DSP_2025_PROTOCOL)
                .put("transferType", "GrpcStream-" + flow);
        if ("PUSH".equals(flow)) {
            body.putObject("dataDestination").put("@type", "DataAddress").put("type", "GrpcStream");
        }
        body.putObject("privateProperties").put(TRANSFER_NS + "destinationPath", destination.toAbsolutePath().toString());
        return api(Side.CONSUMER).post("/v3/transferprocesses", body).path("@id").asText();
    }

    /** Every entry a query endpoint ({@code /v3/contractnegotiations/request} …) of one side lists. */
    JsonNode all(Side side, String path) {
        return api(side).post(path, ManagementClient.body("QuerySpec").put("limit", 100_000));
    }

    /**
     * The provider's negotiation or transfer process that pairs with the consumer's {@code consumerId}, or a missing
     * node when the provider holds none. DSP 2025-1 names a process by both sides' ids; each side keeps the other's as
     * its correlation id.
     */
    JsonNode providerCounterpart(String path, String consumerId, String consumerCorrelationId) {
        for (var entry : all(Side.PROVIDER, path)) {
            if (consumerId.equals(entry.path("correlationId").asText())
                    || (!consumerCorrelationId.isEmpty() && consumerCorrelationId.equals(entry.path("@id").asText()))) {
                return entry;
            }
        }
        return ManagementClient.mapper().missingNode();
    }

    /** Reads one entry from a side; a missing node when that side is down or does not know it. */
    JsonNode read(Side side, String path) {
        try {
            return api(side).get(path);
        } catch (RuntimeException e) {
            return ManagementClient.mapper().missingNode();
        }
    }

    @Override
    public void close() {
        for (var process : new ConnectorProcess[]{consumer, provider}) {
            if (process != null) {
                process.close();
            }
        }
        source.close();
        authority.close();
        var server = PostgresTestServer.get();
        for (var database : databases) {
            try (var connection = server.connect("postgres"); var statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.printf("could not drop %s: %s%n", database, e.getMessage());
            }
        }
    }

    static void sleep(long millis) {
        ConnectorProcess.sleep(millis);
    }

    /** Whether {@code deadline} has passed. */
    static boolean past(Instant deadline) {
        return Instant.now().isAfter(deadline);
    }
}
