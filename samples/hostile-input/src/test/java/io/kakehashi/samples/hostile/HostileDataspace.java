package io.kakehashi.samples.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.samples.hostile.rogue.RogueMemberExtension;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.DataspaceAuthority;
import io.kakehashi.samples.support.FileServer;
import io.kakehashi.samples.support.ManagementClient;
import io.kakehashi.samples.support.WorkDirectory;
import io.kakehashi.testfixtures.Ports;
import io.kakehashi.testfixtures.PostgresTestServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The dataspace the hostile-input suite attacks: a dataspace authority and three members, each the production launcher
 * jar in its own JVM with real DCP identity (membership and legal-entity credentials). The <b>provider</b> offers one
 * asset; the <b>bystander</b> has agreed a contract with it and pulled the data over gRPC (a finalized negotiation and
 * a completed transfer — the state other members must not touch); the <b>consumer</b> has agreed a contract of its own,
 * pulled the data once too, and carries the {@link RogueMemberExtension}, so the suite can send any DSP message with its genuine token. With
 * {@code postgres} every connector keeps its state in a PostgreSQL database of its own, created for the run and
 * dropped after it.
 * <p>
 * Not thread-safe: built and closed by one test class.
 */
public final class HostileDataspace implements AutoCloseable {

    public static final String DATASPACE = "hostile-input-dataspace";
    public static final String ASSET_ID = "hostile-input-asset";
    public static final String POLICY_ID = "hostile-input-open";
    public static final String CONTRACT_DEFINITION_ID = "hostile-input-offer";
    static final Duration START = Duration.ofSeconds(120);
    static final Duration STEP = Duration.ofSeconds(60);

    private final Path workDir;
    private final boolean postgres;
    private final List<String> databases = new ArrayList<>();
    private final int roguePort = Ports.freePort();
    private DataspaceAuthority authority;
    private Auditors auditors;
    private FileServer backend;
    private ConnectorProcess provider;
    private ConnectorProcess consumer;
    private ConnectorProcess bystander;
    private String consumerAgreementId;
    private String bystanderAgreementId;
    private JsonNode bystanderNegotiationAtProvider;
    private JsonNode bystanderTransferAtProvider;
    private String bystanderTransferId;
    private String consumerTransferId;

    private HostileDataspace(Path workDir, boolean postgres) {
        this.workDir = workDir.toAbsolutePath();
        this.postgres = postgres;
    }

    /** Starts the dataspace and seeds its state; on failure everything started is stopped again. */
    public static HostileDataspace start(Path workDir, boolean postgres) {
        var dataspace = new HostileDataspace(workDir, postgres);
        try {
            dataspace.startConnectors();
            dataspace.seed();
            return dataspace;
        } catch (RuntimeException e) {
            dataspace.close();
            throw e;
        }
    }

    private void startConnectors() {
        WorkDirectory.clear(workDir);
        authority = DataspaceAuthority.start(workDir.resolve("authority"), "authority", new PrintStream(OutputStream.nullOutputStream()));
        var providerSettings = settings("provider");
        // the compute probes send the consumer a model at and over the 64 MiB limit: a JSON job of ~90 MB, read, parsed and
        // decoded, needs more than the 512 MiB the other connectors get (with 512 MiB it ends in an OutOfMemoryError)
        var consumerSettings = settings("consumer").with(RogueMemberExtension.PORT, String.valueOf(roguePort)).jvmOption("-Xmx1536m");
        var bystanderSettings = settings("bystander");
        authority.issueMembership(providerSettings, DATASPACE);
        authority.issueLegalEntity(providerSettings, "Hostile Input Provider K.K.", "JP", "JCN:1180301018771");
        authority.issueMembership(consumerSettings, DATASPACE);
        authority.issueLegalEntity(consumerSettings, "Hostile Input Consumer K.K.", "JP", "JCN:7010401012347");
        authority.issueMembership(bystanderSettings, DATASPACE);
        authority.issueLegalEntity(bystanderSettings, "Bystander GmbH", "DE", "LEI:529900ABCDEF12345X72");
        auditors = Auditors.start(authority, workDir.resolve("auditors"), providerSettings.participantId(), consumerSettings.participantId());
        var rogueClassPath = List.of(ConnectorProcess.launcherJar(), testClasses(), rogueServices());
        // three JVMs start faster side by side than one after another, even on two cores
        var providerStart = CompletableFuture.supplyAsync(() -> ConnectorProcess.start(providerSettings, START));
        var consumerStart = CompletableFuture.supplyAsync(() -> ConnectorProcess.start(rogueClassPath, consumerSettings, START));
        var bystanderStart = CompletableFuture.supplyAsync(() -> ConnectorProcess.start(bystanderSettings, START));
        provider = joined(providerStart);
        consumer = joined(consumerStart);
        bystander = joined(bystanderStart);
    }

    private static ConnectorProcess joined(CompletableFuture<ConnectorProcess> start) {
        try {
            return start.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    private ConnectorSettings settings(String name) {
        var settings = new ConnectorSettings(name, workDir.resolve(name)).trustIssuer("hostile-input", authority.did());
        if (postgres) {
            var database = "kakehashi_hostile_" + name + "_" + Long.toHexString(System.nanoTime());
            var server = PostgresTestServer.get();
            server.createDatabase(database);
            databases.add(database);
            settings.postgres(server.url(database), server.user());
        }
        return settings;
    }

    /** The seeded state: an asset, a policy and a contract definition at the provider; two agreements; one completed pull. */
    private void seed() {
        try {
            var data = Files.createDirectories(workDir.resolve("backend")).resolve("records.csv");
            var csv = new StringBuilder("machine,temperature\n");
            for (var i = 0; i < 200; i++) {
                csv.append("mc-").append(i % 8).append(',').append(40 + i % 17).append('\n');
            }
            Files.writeString(data, csv);
            backend = FileServer.serve(data.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var api = provider.management();
        api.createAsset(ASSET_ID, Map.of("name", "Machine records for the hostile-input suite", "contenttype", "text/csv"),
                Map.of("type", "HttpData", "baseUrl", backend.urlOf("records.csv")));
        api.createOpenPolicy(POLICY_ID);
        api.createContractDefinition(CONTRACT_DEFINITION_ID, POLICY_ID, POLICY_ID, ASSET_ID);

        bystanderAgreementId = negotiate(bystander);
        var bystanderApi = bystander.management();
        bystanderTransferId = bystanderApi.transferGrpcPull(providerSettings().dspAddress(), providerSettings().participantId(), bystanderAgreementId,
                workDir.resolve("bystander-inbox").resolve("records.csv"));
        bystanderApi.awaitCompleted(bystanderTransferId, STEP);
        consumerAgreementId = negotiate(consumer);
        var consumerApi = consumer.management();
        consumerTransferId = consumerApi.transferGrpcPull(providerSettings().dspAddress(), providerSettings().participantId(), consumerAgreementId,
                workDir.resolve("consumer-inbox").resolve("records.csv"));
        consumerApi.awaitCompleted(consumerTransferId, STEP);

        var bystanderDid = bystanderSettings().participantId();
        bystanderNegotiationAtProvider = only(query(provider, "/v3/contractnegotiations/request"), "counterPartyId", bystanderDid);
        var bystanderTransferCorrelation = bystanderApi.transfer(bystanderTransferId).path("correlationId").asText();
        bystanderTransferAtProvider = null;
        for (var transfer : query(provider, "/v3/transferprocesses/request")) {
            if (transfer.path("@id").asText().equals(bystanderTransferCorrelation) || transfer.path("correlationId").asText().equals(bystanderTransferId)) {
                bystanderTransferAtProvider = transfer;
            }
        }
        if (bystanderTransferAtProvider == null) {
            throw new IllegalStateException("the provider does not show the bystander's transfer " + bystanderTransferId);
        }
    }

    private String negotiate(ConnectorProcess member) {
        var api = member.management();
        var catalog = api.requestCatalog(providerSettings().dspAddress(), providerSettings().participantId());
        ObjectNode offer = null;
        for (var dataset : ManagementClient.datasets(catalog)) {
            if (ASSET_ID.equals(dataset.path("@id").asText())) {
                offer = ManagementClient.contractOffer(catalog, dataset);
            }
        }
        if (offer == null) {
            throw new IllegalStateException("the provider's catalog does not list " + ASSET_ID + ": " + catalog);
        }
        return api.awaitAgreement(api.negotiate(providerSettings().dspAddress(), offer), STEP).path("contractAgreementId").asText();
    }

    /** The protocol-level id of an agreement (what DSP messages name), from a member's own id of it. */
    private static String sharedId(ConnectorProcess member, String localId) {
        return only(query(member, "/v3/contractagreements/request"), "@id", localId).path("agreementId").asText();
    }

    private static JsonNode only(JsonNode items, String field, String value) {
        for (var item : items) {
            if (value.equals(item.path(field).asText())) {
                return item;
            }
        }
        throw new IllegalStateException("none with " + field + " = " + value + " in " + items);
    }

    /** Everything a management query endpoint lists, up to 1,000. */
    static JsonNode query(ConnectorProcess connector, String path) {
        return connector.management().post(path, ManagementClient.body("QuerySpec").put("limit", 1000));
    }

    /** States after which a transfer process or a negotiation changes no more by itself. */
    private static final java.util.Set<String> SETTLED = java.util.Set.of("COMPLETED", "DEPROVISIONED", "TERMINATED", "FINALIZED", "SUSPENDED");

    /**
     * Waits, up to {@code timeout}, until no connector has a negotiation or a transfer in a passing state (the set-up's
     * pull ends COMPLETING_REQUESTED → DEPROVISIONED in the background), so that a snapshot holds only what stays.
     *
     * @return whether everything settled in time
     */
    public boolean awaitSettled(java.time.Duration timeout) {
        var deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var moving = false;
            for (var connector : List.of(provider, consumer, bystander)) {
                for (var kind : List.of("contractnegotiations", "transferprocesses")) {
                    for (var entry : query(connector, "/v3/" + kind + "/request")) {
                        moving |= !SETTLED.contains(entry.path("state").asText());
                    }
                }
            }
            if (!moving) {
                return true;
            }
            ConnectorProcess.sleep(200);
        }
        return false;
    }

    /**
     * What each connector stores, as its management API shows it: assets, policies, contract definitions,
     * negotiations, agreements, transfers and compute jobs sent, by connector and kind.
     */
    public Map<String, JsonNode> snapshot() {
        var state = new LinkedHashMap<String, JsonNode>();
        for (var entry : Map.of("provider", provider, "consumer", consumer, "bystander", bystander).entrySet()) {
            for (var kind : List.of("assets", "policydefinitions", "contractdefinitions", "contractnegotiations", "contractagreements", "transferprocesses")) {
                state.put(entry.getKey() + " " + kind, byId(withoutPolicyIds(query(entry.getValue(), "/v3/" + kind + "/request"))));
            }
            state.put(entry.getKey() + " remote compute jobs", entry.getValue().management().get("/v3/kakehashi/compute/remote-jobs"));
        }
        return state;
    }

    /**
     * The entries ordered by {@code @id}: a query without a sort field lists them in the store's order, which on
     * PostgreSQL changes when a row is written again, although nothing in it changed.
     */
    private static JsonNode byId(JsonNode node) {
        if (!node.isArray()) {
            return node;
        }
        var entries = new ArrayList<JsonNode>();
        node.forEach(entries::add);
        entries.sort(java.util.Comparator.comparing(entry -> entry.path("@id").asText()));
        var sorted = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        entries.forEach(sorted::add);
        return sorted;
    }

    /** The management API gives a policy a fresh random {@code @id} each time it shows it: not stored state. */
    private static JsonNode withoutPolicyIds(JsonNode node) {
        if (node.isObject()) {
            var policy = node.get("policy");
            if (policy instanceof ObjectNode object) {
                object.remove("@id");
            }
        }
        node.forEach(HostileDataspace::withoutPolicyIds);
        return node;
    }

    /** Every connector's vault secrets and both API keys, as they are now. */
    public VaultSecrets secrets() {
        var all = new ArrayList<VaultSecrets>();
        for (var connector : connectors()) {
            var settings = connector.settings();
            all.add(VaultSecrets.read(Path.of(settings.properties().get("kakehashi.vault.path")), settings.vaultPassword()));
        }
        var union = VaultSecrets.of(all);
        for (var connector : connectors()) {
            union.withSecret(connector.settings().name() + ":management key", connector.settings().managementKey())
                    .withSecret(connector.settings().name() + ":auditor key", connector.settings().auditorKey());
        }
        return union;
    }

    public List<ConnectorProcess> connectors() {
        return List.of(provider, consumer, bystander);
    }

    public ConnectorProcess provider() {
        return provider;
    }

    public ConnectorProcess consumer() {
        return consumer;
    }

    public ConnectorProcess bystander() {
        return bystander;
    }

    public ConnectorSettings providerSettings() {
        return provider.settings();
    }

    public ConnectorSettings consumerSettings() {
        return consumer.settings();
    }

    public ConnectorSettings bystanderSettings() {
        return bystander.settings();
    }

    /** The auditors with credentials from the dataspace's authority, and a stranger. */
    public Auditors auditors() {
        return auditors;
    }

    /** The rogue member's relay, in the consumer's JVM. */
    public String rogueUrl() {
        return "http://127.0.0.1:%d/dispatch".formatted(roguePort);
    }

    /** The consumer's agreement, by the id its own management API uses. */
    public String consumerAgreementId() {
        return consumerAgreementId;
    }

    /** The consumer's agreement, by the id DSP messages name (both sides share it). */
    public String consumerSharedAgreementId() {
        return sharedId(consumer, consumerAgreementId);
    }

    /** The bystander's agreement, by the id DSP messages name. */
    public String bystanderSharedAgreementId() {
        return sharedId(bystander, bystanderAgreementId);
    }

    /** The bystander's negotiation as the provider stores it ({@code @id} = the provider's pid, {@code correlationId} = the bystander's). */
    public JsonNode bystanderNegotiationAtProvider() {
        return bystanderNegotiationAtProvider;
    }

    /** The bystander's transfer as the provider stores it. */
    public JsonNode bystanderTransferAtProvider() {
        return bystanderTransferAtProvider;
    }

    /** The consumer's own completed pull, on its side. */
    public String consumerTransferId() {
        return consumerTransferId;
    }

    /** The rogue member's answer to which data-plane token it received for one of its own transfers. */
    public String rogueTokenUrl(String transferId) {
        return "http://127.0.0.1:%d/token?transfer=%s".formatted(roguePort, transferId);
    }

    /** The bystander's transfer id on its own side. */
    public String bystanderTransferId() {
        return bystanderTransferId;
    }

    public static String controlUrl(ConnectorSettings settings) {
        return "http://127.0.0.1:%s/control".formatted(settings.properties().get("web.http.control.port"));
    }

    public static String identityUrl(ConnectorSettings settings) {
        return "http://127.0.0.1:%s/identity".formatted(settings.properties().get("web.http.identity.port"));
    }

    public static int grpcPort(ConnectorSettings settings) {
        return Integer.parseInt(settings.properties().get("kakehashi.transfer.grpc.port"));
    }

    /** Where the provider's asset reads its data from (the data holder's backend). */
    public String backendUrl() {
        return backend.urlOf("records.csv");
    }

    /** One entry of a connector's vault, read from its file (for the public gRPC certificate). */
    public static String vaultEntry(ConnectorSettings settings, String alias) {
        return io.kakehashi.core.vault.KeystoreVault.open(Path.of(settings.properties().get("kakehashi.vault.path")), settings.vaultPassword().toCharArray())
                .orElseThrow(failure -> new IllegalStateException(failure.getFailureDetail())).resolveSecret(alias);
    }

    public Path workDir() {
        return workDir;
    }

    public boolean postgres() {
        return postgres;
    }

    @Override
    public void close() {
        for (var connector : new ConnectorProcess[]{consumer, bystander, provider}) {
            if (connector != null) {
                connector.close();
            }
        }
        if (backend != null) {
            backend.close();
        }
        if (auditors != null) {
            auditors.close();
        }
        if (authority != null) {
            authority.close();
        }
        for (var database : databases) {
            try {
                dropDatabase(database);
            } catch (SQLException e) {
                System.err.println("could not drop " + database + ": " + e.getMessage());
            }
        }
    }

    private static void dropDatabase(String database) throws SQLException {
        try (var connection = PostgresTestServer.get().connect("postgres"); var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static Path testClasses() {
        try {
            return Path.of(RogueMemberExtension.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A directory that registers the rogue-member extension, for the consumer's class path only. */
    private Path rogueServices() {
        try {
            var services = workDir.resolve("rogue-services");
            var dir = Files.createDirectories(services.resolve("META-INF/services"));
            Files.writeString(dir.resolve("org.eclipse.edc.spi.system.ServiceExtension"), RogueMemberExtension.class.getName() + "\n");
            return services;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
