package io.kakehashi.samples.machinetool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.samples.support.AuditorClient;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.DataspaceAuthority;
import io.kakehashi.samples.support.FileServer;
import io.kakehashi.samples.support.HttpSink;
import io.kakehashi.samples.support.ManagementClient;
import io.kakehashi.samples.support.Sha256;
import io.kakehashi.samples.support.WorkDirectory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.StreamSupport;

/**
 * The first Kakehashi dataspace: a Japanese machine-tool maker (provider) publishes its machines' operation data and
 * an AI vendor (consumer) finds it in the catalog, negotiates a contract over DSP 2025-1 and receives the data. Each
 * side is a connector in its own JVM, started from the launcher jar; the two know each other through their trust
 * lists. Every step is reported to the given stream.
 * <p>
 * Not thread-safe: one scenario, driven by one thread.
 */
public final class MachineToolDataspace implements AutoCloseable {

    /** The maker's connector's name; its participant id is its DID ({@link #providerSettings()}). */
    public static final String PROVIDER_NAME = "jp-machine-tool-maker";
    /** The AI vendor's connector's name; its participant id is its DID ({@link #consumerSettings()}). */
    public static final String CONSUMER_NAME = "ai-vendor";
    /** The German plant operator's connector's name, a second holder in the AI vendor's federated catalog. */
    public static final String PLANT_NAME = "de-plant-operator";
    /** The plant operator's dataset. */
    public static final String INSPECTION_ASSET_ID = "corrosion-inspection-records-2016-2025";
    /** The asset property that carries an asset's DCAT metadata (JSON-LD), validated against its data profile. */
    static final String DCAT_PROPERTY = "https://w3id.org/kakehashi/ns#dcat";
    /** The dataspace the authority admits both companies to. */
    public static final String DATASPACE = "connected-industries-manufacturing";
    /** The dataset the maker offers only to companies registered in the EU/EEA. */
    public static final String EU_ONLY_ASSET_ID = "machine-operation-data-eu-only";
    static final String EU_ONLY_POLICY = "eu-eea-only";
    static final String KAKEHASHI_POLICY = "https://w3id.org/kakehashi/policy/";
    /** The EU member states and the EEA's three others, as the maker's operator configures the group. */
    public static final String EU_EEA = "AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,RO,SK,SI,ES,SE,IS,LI,NO";
    public static final String ASSET_ID = "machine-operation-data-2026-11";
    public static final String DATA_FILE = "machine-operation-2026-11.csv";
    /** Who may see the maker's offers: anyone its identity accepts. */
    static final String OPEN_ACCESS_POLICY = "anyone-trusted";
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    private final Path workDir;
    private final PrintStream out;
    private final DataspaceAuthority authority;
    private final ConnectorSettings providerSettings;
    private final ConnectorSettings consumerSettings;
    private final ConnectorSettings plantSettings;
    private ConnectorProcess provider;
    private ConnectorProcess plant;
    private ConnectorProcess consumer;
    private FileServer backend;
    private HttpSink sink;
    private int step;
    private boolean accessPolicyCreated;

    /**
     * @param configure applied to both connectors' settings (e.g. to keep their state in PostgreSQL)
     */
    public MachineToolDataspace(Path workDir, PrintStream out, UnaryOperator<ConnectorSettings> configure) {
        this.workDir = workDir.toAbsolutePath();
        this.out = out;
        // EDC's default state-machine pace (1 s idle): faster loops make EDC 0.15.1 answer a quick peer with 409
        // now and then and terminate the negotiation (see docs/benchmarks.md)
        // the dataspace authority both companies trust: the issuer tool, serving its DID document and status list
        this.authority = DataspaceAuthority.start(this.workDir.resolve("authority"), "authority", out);
        this.providerSettings = configure.apply(new ConnectorSettings(PROVIDER_NAME, this.workDir.resolve(PROVIDER_NAME))
                .trustIssuer("connected-industries", authority.did())
                .with("kakehashi.policy.jurisdiction.groups.EU_EEA", EU_EEA));
        this.plantSettings = configure.apply(new ConnectorSettings(PLANT_NAME, this.workDir.resolve(PLANT_NAME))
                .trustIssuer("connected-industries", authority.did()));
        // the AI vendor's crawler keeps both holders' catalogs in its federated catalog, refreshed every few seconds here
        this.consumerSettings = configure.apply(new ConnectorSettings(CONSUMER_NAME, this.workDir.resolve(CONSUMER_NAME))
                .trustIssuer("connected-industries", authority.did())
                // a peer is named by its DID, which the crawler's DSP requests are addressed to
                .with("kakehashi.catalog.crawler.peers", providerSettings.did() + "=" + providerSettings.dspAddress() + "," + plantSettings.did() + "=" + plantSettings.dspAddress())
                .with("kakehashi.catalog.crawler.interval", "PT3S"));
    }

    public static void main(String[] args) throws Exception {
        var dir = Path.of(args.length > 0 ? args[0] : "target/sample-run");
        WorkDirectory.clear(dir);
        try (var dataspace = new MachineToolDataspace(dir, System.out, UnaryOperator.identity())) {
            var outcome = dataspace.run(40_000);
            System.out.printf("%nDone: %s received %,d bytes of %s under agreement %s; SHA-256 %s.%n",
                    CONSUMER_NAME, outcome.bytes(), ASSET_ID, outcome.agreementId(), outcome.receivedSha256());
            System.out.printf("Found: %s in English across %s: 「%s」%n", ASSET_ID, outcome.discovery().datasetsPerPeer().keySet(),
                    outcome.discovery().makerTitleJa());
            System.out.printf("Refused: %s%n", outcome.refusal());
            System.out.printf("Audit: %d negotiation decisions about %s in the maker's log, chain %s.%n",
                    outcome.audit().negotiationDecisions(), CONSUMER_NAME, outcome.audit().intact() ? "intact" : "BROKEN");
            System.out.printf("Logs: %s%n", dir.toAbsolutePath());
        }
    }

    /**
     * Runs the whole scenario: generate, start, publish, discover, negotiate, transfer, check.
     */
    public Outcome run(int rows) {
        var source = generateData(rows);
        startConnectors();
        publish(source);
        publishInspectionRecords();
        var found = findAcrossPeers();
        var offer = discover();
        var agreementId = negotiate(offer);
        var delivery = transferGrpc(agreementId, "delivery-1.csv");
        var sourceHash = Sha256.of(source);
        var receivedHash = Sha256.of(delivery.file());
        report("The AI vendor checks what arrived: %,d bytes, SHA-256 %s (%s the maker's file)",
                size(delivery.file()), receivedHash, sourceHash.equals(receivedHash) ? "identical to" : "DIFFERENT FROM");
        var refusal = negotiateEuOnlyOffer();
        var audit = audit();
        return new Outcome(ASSET_ID, agreementId, delivery.transferId(), delivery.file(), sourceHash, receivedHash, size(delivery.file()),
                refusal, audit, found);
    }

    /**
     * Step: the maker offers a second dataset only to companies registered in the EU/EEA; the AI vendor, registered
     * in Japan, asks for it and is refused, and its own management API says which constraint failed. Returns that
     * reason.
     */
    public String negotiateEuOnlyOffer() {
        provider.management().createPolicy(EU_ONLY_POLICY,
                ManagementClient.constraint(KAKEHASHI_POLICY + "consumerJurisdiction", "isAnyOf", List.of("EU_EEA")));
        offer(EU_ONLY_ASSET_ID, EU_ONLY_POLICY);
        var api = consumer.management();
        var negotiationId = api.negotiate(providerSettings.dspAddress(), discover(EU_ONLY_ASSET_ID));
        var refused = api.awaitTerminated(negotiationId, STEP_TIMEOUT);
        var reason = refused.path("errorDetail").asText();
        report("The AI vendor asks for '%s' (offered to EU/EEA companies only); negotiation %s TERMINATED: %s",
                EU_ONLY_ASSET_ID, negotiationId, reason);
        return reason;
    }

    /**
     * Step: an auditor reads the maker's decision log through the auditor API (its own key) and verifies its chain.
     */
    public Audit audit() {
        var auditor = new AuditorClient(providerSettings.auditorUrl(), providerSettings.auditorKey());
        var decisions = auditor.decisions("counterparty=" + URLEncoder.encode(consumerSettings.participantId(), StandardCharsets.UTF_8)
                + "&scope=contract.negotiation").path("decisions");
        for (var decision : decisions) {
            var entry = decision.path("entry");
            var reasons = new ArrayList<String>();
            entry.path("reasons").forEach(reason -> reasons.add(reason.path("reason").asText()));
            report("Auditor: decision #%d %s %s for '%s' on asset '%s'%s", decision.path("sequence").asLong(),
                    entry.path("scope").asText(), entry.path("outcome").asText(), entry.path("counterpartyId").asText(),
                    entry.path("assetId").asText(), reasons.isEmpty() ? "" : " — " + String.join("; ", reasons));
        }
        var verification = auditor.verify();
        report("Auditor: the maker's decision log is %s (%d entries checked)",
                verification.path("intact").asBoolean() ? "intact" : "BROKEN at " + verification.path("position").asLong(),
                verification.path("entriesChecked").asLong());
        return new Audit(decisions.size(), verification.path("intact").asBoolean());
    }

    /** Step: the maker's gateway writes a month of operation data to its backend. */
    public Path generateData(int rows) {
        try {
            var dataDir = Files.createDirectories(workDir.resolve("maker-backend"));
            var file = dataDir.resolve(DATA_FILE);
            MachineOperationData.write(file, rows, 20261123L);
            backend = FileServer.serve(dataDir);
            report("The machine-tool maker's backend holds %s: %,d rows, %,d bytes, served at %s",
                    DATA_FILE, rows, size(file), backend.urlOf(DATA_FILE));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Step: the dataspace authority issues each company its credentials (membership of the dataspace, and the
     * legal entity with its country and corporate number) with the issuer tool; both connectors start. Neither
     * knows the other: each trusts the authority.
     */
    public void startConnectors() {
        authority.issueMembership(providerSettings, DATASPACE);
        authority.issueLegalEntity(providerSettings, "Nagoya Machine Tools K.K.", "JP", "JCN:1180301018771");
        authority.issueMembership(consumerSettings, DATASPACE);
        authority.issueLegalEntity(consumerSettings, "AI Vendor K.K.", "JP", "JCN:7010401012347");
        authority.issueMembership(plantSettings, DATASPACE);
        authority.issueLegalEntity(plantSettings, "Rhein Chemie Anlagen GmbH", "DE", "LEI:529900ABCDEF12345X72");
        report("The dataspace authority %s issued the three companies a %s membership and a legal-entity credential (two in Japan, one in Germany)",
                authority.did(), DATASPACE);
        provider = ConnectorProcess.start(providerSettings, START_TIMEOUT);
        plant = ConnectorProcess.start(plantSettings, START_TIMEOUT);
        consumer = ConnectorProcess.start(consumerSettings, START_TIMEOUT);
        report("Connectors up: '%s' as %s (DSP %s), '%s' as %s and '%s' as %s (DSP %s); each trusts the authority, not the others",
                PROVIDER_NAME, providerSettings.did(), providerSettings.dspAddress(), PLANT_NAME, plantSettings.did(),
                CONSUMER_NAME, consumerSettings.did(), consumerSettings.dspAddress());
    }

    public void stopConnectors() {
        if (consumer != null) {
            consumer.close();
        }
        if (plant != null) {
            plant.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    /**
     * Step: the maker registers the data as an asset with its DCAT metadata, which claims the manufacturing data
     * profile and is validated against it (bilingual title and description, machine types and count, sampling
     * interval…), and offers it under a contract.
     */
    public void publish(Path source) {
        provider.management().createOpenPolicy("use-machine-data");
        offer(ASSET_ID, null, "use-machine-data", dcat("machine-operation.jsonld", size(source)));
        report("The maker publishes asset '%s' with DCAT metadata conforming to the manufacturing profile, and offers it to the peers it trusts ('%s') under contract policy 'use-machine-data'",
                ASSET_ID, OPEN_ACCESS_POLICY);
    }

    /**
     * Step: the German plant operator publishes its corrosion inspection records with metadata conforming to the
     * plant-safety profile, offered to any trusted peer.
     */
    public void publishInspectionRecords() {
        var api = plant.management();
        api.createAsset(INSPECTION_ASSET_ID, Map.of("name", "Corrosion inspection records of chemical plant piping, Ludwigshafen",
                        "contenttype", "text/csv", DCAT_PROPERTY, dcat("corrosion-inspections.jsonld", 52_428_800L)),
                Map.of("type", "HttpData", "baseUrl", backend.urlOf(DATA_FILE)));
        api.createOpenPolicy("anyone");
        api.createContractDefinition("inspection-records-offer", "anyone", "anyone", INSPECTION_ASSET_ID);
        report("The plant operator publishes asset '%s' with DCAT metadata conforming to the plant-safety profile", INSPECTION_ASSET_ID);
    }

    /**
     * Step: the AI vendor searches its federated catalog — both holders' catalogs, fetched by its crawler over DSP
     * with its own identity — in English for "machine operation" and finds the maker's Japanese-titled dataset;
     * a SPARQL query counts the datasets per peer.
     */
    public Discovery findAcrossPeers() {
        var api = consumer.management();
        var deadline = Instant.now().plus(STEP_TIMEOUT);
        while (true) {
            var names = Map.of(providerSettings.did(), PROVIDER_NAME, plantSettings.did(), PLANT_NAME);
            var perPeer = new TreeMap<String, Integer>();
            for (var row : api.sparql(DATASETS_PER_PEER).path("results").path("bindings")) {
                var peer = row.at("/peer/value").asText();
                perPeer.put(names.getOrDefault(peer, peer), row.at("/datasets/value").asInt());
            }
            var hits = api.get("/v3/catalog/search?own=false&q=" + URLEncoder.encode("machine operation", StandardCharsets.UTF_8)).path("datasets");
            var maker = StreamSupport.stream(hits.spliterator(), false)
                    .filter(hit -> providerSettings.did().equals(hit.path("peerId").asText())).findFirst();
            if (perPeer.getOrDefault(PROVIDER_NAME, 0) > 0 && perPeer.getOrDefault(PLANT_NAME, 0) > 0 && maker.isPresent()) {
                var title = maker.get().path("title");
                report("The AI vendor's federated catalog holds %s; searching it in English for \"machine operation\" finds '%s' at %s: 「%s」",
                        perPeer, title.path("en").asText(), PROVIDER_NAME, title.path("ja").asText());
                return new Discovery(perPeer, hits.size(), title.path("ja").asText());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the AI vendor's federated catalog did not find the maker's dataset: " + perPeer + " " + hits);
            }
            ConnectorProcess.sleep(500);
        }
    }

    /** Datasets per peer in the federated catalog, as the crawler stored them (one named graph per peer). */
    static final String DATASETS_PER_PEER = """
            PREFIX dcat: <http://www.w3.org/ns/dcat#>
            PREFIX kh:   <https://w3id.org/kakehashi/ns#>
            SELECT ?peer (COUNT(DISTINCT ?dataset) AS ?datasets) WHERE {
              GRAPH <urn:kakehashi:catalog:graphs> { ?graph kh:peerId ?peer }
              GRAPH ?graph { ?dataset a dcat:Dataset }
            } GROUP BY ?peer""";

    private static String dcat(String resource, long byteSize) {
        try (var in = MachineToolDataspace.class.getResourceAsStream("/dcat/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /dcat/" + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${byteSize}", String.valueOf(byteSize));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Registers the maker's data file as asset {@code assetId} and offers it to anyone who can see the catalog,
     * under the contract policy {@code contractPolicyId} (which must exist).
     */
    public void offer(String assetId, String contractPolicyId) {
        offer(assetId, null, contractPolicyId);
    }

    /**
     * Like {@link #offer(String, String)}, shown in the catalog only to the peers that satisfy
     * {@code accessPolicyId} (which must exist); {@code null} for every trusted peer.
     */
    public void offer(String assetId, String accessPolicyId, String contractPolicyId) {
        offer(assetId, accessPolicyId, contractPolicyId, null);
    }

    private void offer(String assetId, String accessPolicyId, String contractPolicyId, String dcat) {
        var api = provider.management();
        var properties = new HashMap<>(Map.of(
                "name", "Machine operation data, Nagoya and Osaka plants, November 2026",
                "description", "10-second operation records of 8 machining centres and lathes: spindle speed and load, feed, vibration, coolant temperature, power, state and alarms",
                "contenttype", "text/csv",
                "sector", "manufacturing-and-robotics"));
        if (dcat != null) {
            properties.put(DCAT_PROPERTY, dcat);
        }
        api.createAsset(assetId, properties, Map.of("type", "HttpData", "baseUrl", backend.urlOf(DATA_FILE)));
        if (accessPolicyId == null && !accessPolicyCreated) {
            api.createOpenPolicy(OPEN_ACCESS_POLICY);
            accessPolicyCreated = true;
        }
        api.createContractDefinition(assetId.equals(ASSET_ID) ? "machine-data-offer" : assetId + "-offer",
                accessPolicyId == null ? OPEN_ACCESS_POLICY : accessPolicyId, contractPolicyId, assetId);
    }

    /** Step: the AI vendor asks the maker's connector for its catalog and finds the dataset. */
    public ObjectNode discover() {
        var offer = discover(ASSET_ID);
        report("The AI vendor reads the maker's catalog; '%s' is offered as '%s'", ASSET_ID, offer.path("@id").asText());
        return offer;
    }

    /** The offer of {@code assetId} in the maker's catalog, as the AI vendor sees it. */
    public ObjectNode discover(String assetId) {
        var catalog = consumer.management().requestCatalog(providerSettings.dspAddress(), providerSettings.participantId());
        for (var dataset : ManagementClient.datasets(catalog)) {
            if (assetId.equals(dataset.path("@id").asText())) {
                return ManagementClient.contractOffer(catalog, dataset);
            }
        }
        throw new IllegalStateException("the maker's catalog does not list " + assetId + ": " + catalog);
    }

    /** Step: the AI vendor negotiates the offer; returns the agreement id. */
    public String negotiate(ObjectNode offer) {
        var api = consumer.management();
        var started = System.nanoTime();
        var negotiationId = api.negotiate(providerSettings.dspAddress(), offer);
        var negotiation = api.awaitAgreement(negotiationId, STEP_TIMEOUT);
        var agreementId = negotiation.path("contractAgreementId").asText();
        report("Contract negotiation %s FINALIZED in %d ms: agreement %s", negotiationId,
                (System.nanoTime() - started) / 1_000_000, agreementId);
        return agreementId;
    }

    /**
     * Step: the AI vendor's data plane pulls the data from the maker's gRPC endpoint (TLS, the maker's certificate
     * pinned, a token for this transfer) into a local file, which appears only once its SHA-256 matches.
     */
    public Delivery transferGrpc(String agreementId, String name) {
        var api = consumer.management();
        var file = workDir.resolve("ai-vendor-inbox").resolve(name);
        var started = System.nanoTime();
        var transferId = api.transferGrpcPull(providerSettings.dspAddress(), providerSettings.participantId(), agreementId, file);
        awaitWithProgress(api, transferId);
        report("Transfer %s COMPLETED in %d ms (GrpcStream-PULL over TLS into %s)", transferId, (System.nanoTime() - started) / 1_000_000, file);
        return new Delivery(transferId, file);
    }

    /**
     * Waits for the transfer to complete, printing a progress line from the AI vendor's data plane (bytes, percentage,
     * rate) whenever it moved on, at most twice a second.
     */
    private void awaitWithProgress(ManagementClient api, String transferId) {
        var deadline = Instant.now().plus(STEP_TIMEOUT);
        var lastBytes = -1L;
        while (true) {
            var state = api.transfer(transferId).path("state").asText();
            var progress = api.transferProgress(transferId);
            var bytes = progress.path("bytes").asLong(-1);
            if (bytes > lastBytes && bytes > 0) {
                lastBytes = bytes;
                out.printf("      progress: %,d of %,d bytes (%.0f %%), %,d chunks, %.1f MB/s%n", bytes, progress.path("totalSize").asLong(),
                        progress.path("percentage").asDouble(), progress.path("messages").asLong(), progress.path("bytesPerSecond").asLong() / 1e6);
            }
            if ("COMPLETED".equals(state)) {
                return;
            }
            if ("TERMINATED".equals(state) || "SUSPENDED".equals(state) || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("transfer %s ended in %s: %s".formatted(transferId, state, api.transfer(transferId).path("errorDetail").asText("")));
            }
            ConnectorProcess.sleep(500);
        }
    }

    /** Step: the AI vendor has the maker's data plane push the data to its receiving endpoint. */
    public Delivery transfer(String agreementId, String name) {
        if (sink == null) {
            sink = HttpSink.receiveInto(workDir.resolve("ai-vendor-inbox"));
        }
        var api = consumer.management();
        var started = System.nanoTime();
        var transferId = api.transferPush(providerSettings.dspAddress(), providerSettings.participantId(), agreementId, sink.urlFor(name));
        var file = sink.await(name, STEP_TIMEOUT);
        api.awaitCompleted(transferId, STEP_TIMEOUT);
        report("Transfer %s COMPLETED in %d ms (HttpData-PUSH into %s)", transferId, (System.nanoTime() - started) / 1_000_000, file);
        return new Delivery(transferId, file);
    }

    public ConnectorProcess provider() {
        return provider;
    }

    public ConnectorProcess consumer() {
        return consumer;
    }

    public ConnectorSettings providerSettings() {
        return providerSettings;
    }

    public ConnectorSettings consumerSettings() {
        return consumerSettings;
    }

    public ConnectorSettings plantSettings() {
        return plantSettings;
    }

    public DataspaceAuthority authority() {
        return authority;
    }

    @Override
    public void close() {
        stopConnectors();
        authority.close();
        if (sink != null) {
            sink.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void report(String format, Object... args) {
        out.printf("[%d] %s%n", ++step, format.formatted(args));
    }

    /** What the scenario produced. */
    public record Outcome(String datasetId, String agreementId, String transferId, Path received, String sourceSha256,
                          String receivedSha256, long bytes, String refusal, Audit audit, Discovery discovery) {
    }

    /** What the AI vendor found in its federated catalog: datasets per peer, hits of its English search, the maker's Japanese title. */
    public record Discovery(Map<String, Integer> datasetsPerPeer, int hits, String makerTitleJa) {
    }

    /** What the auditor found: the negotiation decisions about the AI vendor, and whether the chain held. */
    public record Audit(int negotiationDecisions, boolean intact) {
    }

    /** A completed transfer and the file it delivered. */
    public record Delivery(String transferId, Path file) {
    }
}
