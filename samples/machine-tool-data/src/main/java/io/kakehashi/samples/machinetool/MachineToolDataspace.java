package io.kakehashi.samples.machinetool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.ai.core.federated.LogisticRegression;
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
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
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
    /** The Singapore contract manufacturer's connector's name, the third holder of machine-health records. */
    public static final String SG_NAME = "sg-precision-works";
    /** Each holder's machine-health records are the asset {@code machine-health-<holder name>}, offered for computation only. */
    public static final String HEALTH_ASSET_PREFIX = "machine-health-";
    static final String COMPUTE_POLICY = "compute-on-site";
    /** The smallest group an SQL result may describe under the holders' compute policy ({@code ai.minAggregation}). */
    public static final int MIN_AGGREGATION = 50;
    static final double LEARNING_RATE = 0.05;
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
    /** The maker's live operation telemetry, a real-time stream of the JSON Lines its gateway appends. */
    public static final String TELEMETRY_ASSET_ID = "machine-operation-telemetry-live";
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
    private final ConnectorSettings sgSettings;
    /** The connectors of the machine-health holders, in {@link #HEALTH_HOLDERS}' order. */
    private final Map<String, ConnectorSettings> healthHolderSettings;
    private ConnectorProcess provider;
    private ConnectorProcess plant;
    private ConnectorProcess sg;
    private ConnectorProcess consumer;
    private FileServer backend;
    private final InetAddress backendAddress;
    private HttpSink sink;
    private int step;
    /** The connectors that have the access policy {@value #OPEN_ACCESS_POLICY}. */
    private final Set<String> openAccess = new HashSet<>();

    /**
     * @param configure applied to both connectors' settings (e.g. to keep their state in PostgreSQL)
     */
    public MachineToolDataspace(Path workDir, PrintStream out, UnaryOperator<ConnectorSettings> configure) {
        this(workDir, out, directory -> DataspaceAuthority.start(directory, "authority", out), (name, settings) -> configure.apply(settings),
                InetAddress.getLoopbackAddress());
    }

    /**
     * The dataspace with each party where the caller puts it, such as each company on its own network host.
     *
     * @param startAuthority starts the dataspace authority in the directory it is given
     * @param configure applied to each connector's settings, given the connector's name ({@link #PROVIDER_NAME}, …)
     * @param backendAddress the address the maker's backend serves on, which its connector must reach
     */
    public MachineToolDataspace(Path workDir, PrintStream out, Function<Path, DataspaceAuthority> startAuthority,
                                BiFunction<String, ConnectorSettings, ConnectorSettings> configure, InetAddress backendAddress) {
        this.workDir = workDir.toAbsolutePath();
        this.out = out;
        this.backendAddress = backendAddress;
        // EDC's default state-machine pace (1 s idle): faster loops make EDC 0.15.1 answer a quick peer with 409
        // now and then and terminate the negotiation (see docs/benchmarks.md)
        // the dataspace authority both companies trust: the issuer tool, serving its DID document and status list
        this.authority = startAuthority.apply(this.workDir.resolve("authority"));
        this.providerSettings = configure.apply(PROVIDER_NAME, new ConnectorSettings(PROVIDER_NAME, this.workDir.resolve(PROVIDER_NAME))
                .trustIssuer("connected-industries", authority.did())
                // the directory whose JSON Lines files the maker's assets may stream (its machine gateway writes there)
                .with("kakehashi.transfer.stream.directory", this.workDir.resolve(PROVIDER_NAME).resolve("streams").toString())
                .with("kakehashi.policy.jurisdiction.groups.EU_EEA", EU_EEA));
        this.plantSettings = configure.apply(PLANT_NAME, new ConnectorSettings(PLANT_NAME, this.workDir.resolve(PLANT_NAME))
                .trustIssuer("connected-industries", authority.did()));
        this.sgSettings = configure.apply(SG_NAME, new ConnectorSettings(SG_NAME, this.workDir.resolve(SG_NAME))
                .trustIssuer("connected-industries", authority.did()));
        // the AI vendor's crawler keeps both holders' catalogs in its federated catalog, refreshed every few seconds here
        this.consumerSettings = configure.apply(CONSUMER_NAME, new ConnectorSettings(CONSUMER_NAME, this.workDir.resolve(CONSUMER_NAME))
                .trustIssuer("connected-industries", authority.did())
                // a peer is named by its DID, which the crawler's DSP requests are addressed to
                .with("kakehashi.catalog.crawler.peers", providerSettings.did() + "=" + providerSettings.dspAddress() + "," + plantSettings.did() + "=" + plantSettings.dspAddress()
                        + "," + sgSettings.did() + "=" + sgSettings.dspAddress())
                .with("kakehashi.catalog.crawler.interval", "PT3S"));
        this.healthHolderSettings = new LinkedHashMap<>();
        healthHolderSettings.put(PROVIDER_NAME, providerSettings);
        healthHolderSettings.put(PLANT_NAME, plantSettings);
        healthHolderSettings.put(SG_NAME, sgSettings);
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
            System.out.printf("Streamed: %,d live telemetry records, none lost or twice across a suspension (%d during it, %d after the end).%n",
                    outcome.telemetry().atEnd(), outcome.telemetry().duringSuspension(), outcome.telemetry().afterEnd());
            System.out.printf("Computed at the holders: an SQL analysis at %s; raw rows refused (%s); federated training across %s, accuracy %.3f (central %.3f).%n",
                    PROVIDER_NAME, outcome.compute().rawRowsRefusal(), outcome.compute().agreements().keySet(),
                    outcome.compute().training().federatedAccuracy(), outcome.compute().training().centralAccuracy());
            System.out.printf("Audit: %d negotiation decisions (%d agreements made) and %d compute decisions about %s in the maker's log (%d compute refusals), chain %s.%n",
                    outcome.audit().negotiationDecisions(), outcome.audit().agreements(), outcome.audit().computeDecisions(), CONSUMER_NAME,
                    outcome.audit().computeRefusals(),
                    outcome.audit().intact() ? "intact" : "BROKEN");
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
        var telemetry = streamTelemetry("use-machine-data");
        var refusal = negotiateEuOnlyOffer();
        publishHealthRecords();
        var computeAgreements = negotiateHealthRecords();
        var analysis = analyseAtTheMaker(computeAgreements.get(PROVIDER_NAME));
        var rawRowsRefusal = askForRawRows(computeAgreements.get(PROVIDER_NAME));
        var training = trainAcrossHolders(computeAgreements, 10);
        var audit = audit();
        return new Outcome(ASSET_ID, agreementId, delivery.transferId(), delivery.file(), sourceHash, receivedHash, size(delivery.file()),
                refusal, audit, found, telemetry, new Compute(computeAgreements, analysis.path("id").asText(), rawRowsRefusal, training));
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
        var auditor = new AuditorClient(providerSettings.auditorUrl(), providerSettings.auditorKey(), providerSettings.clientTls());
        var counterparty = "counterparty=" + URLEncoder.encode(consumerSettings.participantId(), StandardCharsets.UTF_8);
        // a negotiation is the policy's decision on the request and, once agreed, the agreement itself (decision 0039)
        var negotiations = new ArrayList<JsonNode>();
        var agreements = new ArrayList<JsonNode>();
        auditor.decisions(counterparty + "&scope=contract.negotiation").path("decisions")
                .forEach(decision -> (isAgreement(decision) ? agreements : negotiations).add(decision));
        negotiations.forEach(this::reportDecision);
        // a compute job is two decisions: the job (its description's and model's digests) and its result's release
        var compute = new TreeMap<Long, JsonNode>();
        for (var scope : List.of("compute", "compute.result")) {
            auditor.decisions(counterparty + "&scope=" + scope).path("decisions").forEach(decision -> compute.put(decision.path("sequence").asLong(), decision));
        }
        var refusals = compute.values().stream().filter(decision -> "DENY".equals(decision.at("/entry/outcome").asText())).count();
        compute.values().stream().limit(4).forEach(this::reportDecision);
        if (compute.size() > 4) {
            report("Auditor: … and %d more compute decisions about the AI vendor (the federated rounds' jobs and the release of their weights), %d of them refusals",
                    compute.size() - 4, compute.values().stream().skip(4).filter(decision -> "DENY".equals(decision.at("/entry/outcome").asText())).count());
        }
        var verification = auditor.verify();
        report("Auditor: the maker's decision log is %s (%d entries checked)",
                verification.path("intact").asBoolean() ? "intact" : "BROKEN at " + verification.path("position").asLong(),
                verification.path("entriesChecked").asLong());
        return new Audit(negotiations.size(), agreements.size(), compute.size(), (int) refusals, verification.path("intact").asBoolean());
    }

    /** The maker's record of an agreement it made, which the AI vendor holds as a signed receipt. */
    private static boolean isAgreement(JsonNode decision) {
        for (var reason : decision.at("/entry/reasons")) {
            if ("negotiation.agreed".equals(reason.path("constraint").asText())) {
                return true;
            }
        }
        return false;
    }

    private void reportDecision(JsonNode decision) {
        var entry = decision.path("entry");
        var reasons = new ArrayList<String>();
        if ("DENY".equals(entry.path("outcome").asText())) {
            entry.path("reasons").forEach(reason -> reasons.add(reason.path("reason").asText()));
        }
        var digests = new ArrayList<String>();
        entry.path("digests").fields().forEachRemaining(digest -> digests.add(digest.getKey() + " " + digest.getValue().asText().substring(0, 12) + "…"));
        report("Auditor: decision #%d %s %s for the AI vendor on asset '%s'%s%s", decision.path("sequence").asLong(),
                entry.path("scope").asText(), entry.path("outcome").asText(), entry.path("assetId").asText(),
                digests.isEmpty() ? "" : " [" + String.join(", ", digests) + "]",
                reasons.isEmpty() ? "" : " — " + String.join("; ", reasons));
    }

    /** Step: the maker's gateway writes a month of operation data to its backend. */
    public Path generateData(int rows) {
        try {
            var dataDir = Files.createDirectories(workDir.resolve("maker-backend"));
            var file = dataDir.resolve(DATA_FILE);
            MachineOperationData.write(file, rows, 20261123L);
            backend = FileServer.serve(dataDir, backendAddress);
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
        authority.issueMembership(sgSettings, DATASPACE);
        authority.issueLegalEntity(sgSettings, "Straits Precision Works Pte. Ltd.", "SG", "LEI:5493001KJTIIGC8Y1R12");
        report("The dataspace authority %s issued the four companies a %s membership and a legal-entity credential (two in Japan, one in Germany, one in Singapore)",
                authority.did(), DATASPACE);
        try {
            Files.createDirectories(providerSettings.directory().resolve("streams"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        provider = ConnectorProcess.start(providerSettings, START_TIMEOUT);
        plant = ConnectorProcess.start(plantSettings, START_TIMEOUT);
        sg = ConnectorProcess.start(sgSettings, START_TIMEOUT);
        consumer = ConnectorProcess.start(consumerSettings, START_TIMEOUT);
        report("Connectors up: '%s' as %s (DSP %s), '%s' as %s, '%s' as %s and '%s' as %s (DSP %s); each trusts the authority, not the others",
                PROVIDER_NAME, providerSettings.did(), providerSettings.dspAddress(), PLANT_NAME, plantSettings.did(),
                SG_NAME, sgSettings.did(), CONSUMER_NAME, consumerSettings.did(), consumerSettings.dspAddress());
    }

    public void stopConnectors() {
        if (consumer != null) {
            consumer.close();
        }
        if (sg != null) {
            sg.close();
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
     * Step: each of the three holders — the maker in Japan, the plant operator in Germany, the contract manufacturer
     * in Singapore — keeps a year of machine-health records in its own backend and offers them for computation on
     * site only: the asset's data address is a local file that only the connector's compute runners read, and the
     * contract permits analytics and training, results over groups of at least {@value #MIN_AGGREGATION} machine-days,
     * and no model export. Returns the holders' connectors by name.
     */
    public Map<String, ConnectorSettings> publishHealthRecords() {
        for (var holder : HEALTH_HOLDERS) {
            var file = healthFile(holder.name());
            try {
                Files.createDirectories(file.getParent());
                MachineHealthData.write(file, holder.plants(), holder.rows(), holder.dataSeed(), holder.temperatureShift());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            var api = connector(holder.name()).management();
            api.createPolicy(COMPUTE_POLICY,
                    ManagementClient.constraint(KAKEHASHI_POLICY + "purpose", "isAnyOf", List.of("analytics", "ai.training")),
                    ManagementClient.constraint(KAKEHASHI_POLICY + "ai.minAggregation", "gteq", String.valueOf(MIN_AGGREGATION)),
                    ManagementClient.constraint(KAKEHASHI_POLICY + "ai.modelExport", "eq", "false"));
            ensureOpenAccessPolicy(holder.name());
            var assetId = HEALTH_ASSET_PREFIX + holder.name();
            api.createAsset(assetId, Map.of("name", "Machine-health records (daily readings and failures), 2026",
                            "contenttype", "text/csv"),
                    Map.of("type", "File", "path", file.toString(), "format", "csv"));
            api.createContractDefinition(assetId + "-offer", OPEN_ACCESS_POLICY, COMPUTE_POLICY, assetId);
            report("'%s' offers '%s' (%,d machine-days in %s) for computation on site only: purpose analytics or ai.training, groups of ≥ %d, no model export",
                    holder.name(), assetId, holder.rows(), file, MIN_AGGREGATION);
        }
        return healthHolderSettings;
    }

    /** Step: the AI vendor negotiates each holder's machine-health offer; returns the agreement ids by holder. */
    public Map<String, String> negotiateHealthRecords() {
        var agreements = new TreeMap<String, String>();
        var api = consumer.management();
        for (var holder : healthHolderSettings.entrySet()) {
            var settings = holder.getValue();
            var assetId = HEALTH_ASSET_PREFIX + holder.getKey();
            var catalog = api.requestCatalog(settings.dspAddress(), settings.participantId());
            ObjectNode offer = null;
            for (var dataset : ManagementClient.datasets(catalog)) {
                if (assetId.equals(dataset.path("@id").asText())) {
                    offer = ManagementClient.contractOffer(catalog, dataset);
                }
            }
            if (offer == null) {
                throw new IllegalStateException(holder.getKey() + "'s catalog does not list " + assetId + ": " + catalog);
            }
            var negotiation = api.awaitAgreement(api.negotiate(settings.dspAddress(), offer), STEP_TIMEOUT);
            agreements.put(holder.getKey(), negotiation.path("contractAgreementId").asText());
        }
        report("The AI vendor holds compute agreements with the three holders: %s", agreements);
        return agreements;
    }

    /**
     * Step: the AI vendor runs an SQL analysis on the maker's machine-health records, at the maker: failure rate and
     * mean readings per plant and machine model. Only the aggregate comes back — every group has at least
     * {@value #MIN_AGGREGATION} machine-days, which the maker's output guard checks on the result. Returns the
     * vendor's job as its management API shows it.
     */
    public JsonNode analyseAtTheMaker(String agreementId) {
        var job = sqlJob("""
                SELECT plant, model, count(*) AS machine_days, avg(failed_24h) AS failure_rate,
                       avg(coolant_temp_c) AS coolant_c, avg(vibration_mm_s) AS vibration_mm_s
                FROM asset GROUP BY plant, model ORDER BY plant, model""");
        var done = runJob(PROVIDER_NAME, agreementId, job);
        if (!"COMPLETED".equals(done.path("state").asText())) {
            throw new IllegalStateException("the maker did not run the analysis: " + done);
        }
        var result = consumer.management().computeResult(done.path("id").asText()).path("result");
        report("The AI vendor's SQL analysis ran at the maker (job %s); %d aggregate rows came back, result SHA-256 %s:",
                done.path("id").asText(), result.path("rows").size(), done.path("resultHash").asText());
        out.printf("      %-5s %-10s %12s %12s %10s %14s%n", "plant", "model", "machine-days", "failure rate", "coolant °C", "vibration mm/s");
        for (var row : result.path("rows")) {
            out.printf(Locale.ROOT, "      %-5s %-10s %12d %12.3f %10.1f %14.2f%n", row.get(0).asText(), row.get(1).asText(), row.get(2).asLong(),
                    row.get(3).asDouble(), row.get(4).asDouble(), row.get(5).asDouble());
        }
        return done;
    }

    /**
     * Step: the AI vendor asks the maker for raw rows — the readings of the machines that failed. The query runs, but
     * the maker's output guard refuses the result (no aggregate over groups of {@value #MIN_AGGREGATION}), so nothing
     * leaves; the vendor's management API shows the job FAILED with the reason. Returns that reason.
     */
    public String askForRawRows(String agreementId) {
        var done = runJob(PROVIDER_NAME, agreementId,
                sqlJob("SELECT machine_id, coolant_temp_c, vibration_mm_s FROM asset WHERE failed_24h = 1"));
        if (!"FAILED".equals(done.path("state").asText())) {
            throw new IllegalStateException("the maker released raw rows: " + done);
        }
        var reason = done.path("reason").asText();
        report("The AI vendor asks the maker for the raw readings of failed machines (job %s): FAILED — %s", done.path("id").asText(), reason);
        return reason;
    }

    /**
     * Step: the AI vendor's connector trains a failure model by federated averaging across the three holders: each
     * round it sends the global weights to every holder under its agreement, each holder trains one epoch on its own
     * records as a compute job its policy engine decides, and only the weights come back. The sample then compares
     * the model with the same model trained centrally on the union of the records — which only the sample, never the
     * AI vendor, can read — on validation data from the three holders' distributions.
     */
    public Training trainAcrossHolders(Map<String, String> agreements, int rounds) {
        var request = ManagementClient.computeBody("FederatedTrainingRequest").put("rounds", rounds).put("roundDeadline", "PT2M");
        var participants = request.putArray("participants");
        agreements.forEach((holder, agreementId) -> participants.addObject()
                .put("agreementId", agreementId)
                .put("counterPartyAddress", healthHolderSettings.get(holder).dspAddress())
                .put("counterPartyId", healthHolderSettings.get(holder).participantId()));
        request.putObject("parameters")
                .put("features", String.join(",", MachineHealthData.FEATURES))
                .put("label", MachineHealthData.LABEL)
                .put("positive", MachineHealthData.POSITIVE)
                .put("means", joined(MachineHealthData.MEANS))
                .put("scales", joined(MachineHealthData.SCALES))
                .put("epochs", "1")
                .put("learningRate", String.valueOf(LEARNING_RATE));
        var api = consumer.management();
        var names = new HashMap<String, String>();
        healthHolderSettings.forEach((name, settings) -> names.put(settings.participantId(), name));
        var id = api.post("/v3/kakehashi/compute/trainings", request).path("id").asText();
        report("The AI vendor starts federated training %s: logistic regression of %s on %s, %d rounds across %s",
                id, MachineHealthData.LABEL, MachineHealthData.FEATURES, rounds, agreements.keySet());
        var deadline = Instant.now().plus(Duration.ofMinutes(5));
        var shown = 0;
        JsonNode training;
        while (true) {
            training = api.get("/v3/kakehashi/compute/trainings/" + id);
            var reports = training.path("reports");
            for (; shown < reports.size(); shown++) {
                var round = reports.get(shown);
                var answered = new ArrayList<String>();
                // a holder is named "<participant id> (<agreement id>)"
                round.path("answered").forEach(holder -> answered.add(names.getOrDefault(holder.asText().split(" ")[0], holder.asText())));
                var roundMillis = round.path("durationMillis").asLong();
                var holdersMillis = longestHolderJobMillis(round.path("jobs"), names);
                out.printf("      round %d: %d holders answered (%s), %,d rows, %,d bytes out, %,d bytes back, %d ms"
                                + " (the longest holder's job %d ms, the rest %d ms)%s%n",
                        round.path("round").asInt(), answered.size(), String.join(", ", answered), round.path("samples").asLong(),
                        round.path("bytesSent").asLong(), round.path("bytesReceived").asLong(), roundMillis, holdersMillis,
                        roundMillis - holdersMillis, round.path("dropped").isEmpty() ? "" : "; dropped: " + round.path("dropped"));
            }
            if (!"RUNNING".equals(training.path("state").asText())) {
                break;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("federated training " + id + " still running: " + training);
            }
            ConnectorProcess.sleep(500);
        }
        if (!"COMPLETED".equals(training.path("state").asText())) {
            throw new IllegalStateException("federated training " + id + " ended " + training.path("state").asText() + ": " + training.path("reason").asText());
        }
        var weights = new double[training.path("weights").size()];
        for (var i = 0; i < weights.length; i++) {
            weights[i] = training.path("weights").get(i).asDouble();
        }
        var validation = new ArrayList<MachineHealthData.Labelled>();
        for (var holder : HEALTH_HOLDERS) {
            if (agreements.containsKey(holder.name())) {
                validation.add(MachineHealthData.validationSet(1000, holder.validationSeed(), holder.temperatureShift()));
            }
        }
        var federated = MachineHealthData.accuracy(weights, validation);
        var central = MachineHealthData.accuracy(trainCentrally(agreements.keySet(), rounds), validation);
        report("Federated model %s: accuracy %.3f on 3,000 validation machine-days, against %.3f for the same model trained centrally on all %,d records (%+.1f points); no record left a holder",
                Arrays.toString(Arrays.stream(weights).map(w -> Math.round(w * 1000) / 1000.0).toArray()), federated, central,
                HEALTH_HOLDERS.stream().filter(holder -> agreements.containsKey(holder.name())).mapToInt(HealthHolder::rows).sum(),
                100 * (federated - central));
        return new Training(id, training.path("reports").size(), federated, central);
    }

    /** The reference: the same logistic regression, trained on the union of the holders' files for as many epochs. */
    private double[] trainCentrally(Collection<String> holders, int epochs) {
        var features = new ArrayList<double[]>();
        var labels = new ArrayList<Integer>();
        for (var holder : holders) {
            var set = MachineHealthData.read(healthFile(holder));
            features.addAll(Arrays.asList(set.features()));
            Arrays.stream(set.labels()).forEach(labels::add);
        }
        return LogisticRegression.train(features.toArray(double[][]::new), labels.stream().mapToInt(Integer::intValue).toArray(),
                new double[MachineHealthData.FEATURES.size() + 1], epochs, LEARNING_RATE, 1);
    }

    private static String joined(double[] values) {
        return String.join(",", Arrays.stream(values).mapToObj(String::valueOf).toList());
    }

    private JsonNode runJob(String holder, String agreementId, ObjectNode job) {
        var settings = healthHolderSettings.get(holder);
        var api = consumer.management();
        var id = api.submitComputeJob(settings.dspAddress(), settings.participantId(), agreementId, job);
        return api.awaitComputeJob(id, STEP_TIMEOUT);
    }

    private static ObjectNode sqlJob(String query) {
        var job = ManagementClient.mapper().createObjectNode().put("type", "sql");
        job.putObject("parameters").put("query", query);
        return job;
    }

    /** Where a holder's backend keeps its machine-health records. */
    private Path healthFile(String holder) {
        return healthHolderSettings.get(holder).directory().resolve("backend").resolve("machine-health.csv");
    }

    private void ensureOpenAccessPolicy(String connector) {
        if (openAccess.add(connector)) {
            connector(connector).management().createOpenPolicy(OPEN_ACCESS_POLICY);
        }
    }

    /**
     * How long the longest of a round's holder jobs took at its holder, from the holder's receiving the request to the
     * job's completion (reading its records and training its epoch): what a round costs beyond this is the connectors'
     * share. The round report names the vendor's remote job of each holder; the remote job names the holder's own job,
     * which the sample reads from the holder's management API.
     */
    private long longestHolderJobMillis(JsonNode jobsOfRound, Map<String, String> holderNames) {
        var longest = 0L;
        for (var holderJobs = jobsOfRound.fields(); holderJobs.hasNext(); ) {
            var entry = holderJobs.next();
            var holder = holderNames.get(entry.getKey().split(" ")[0]);
            var remote = consumer.management().get("/v3/kakehashi/compute/remote-jobs/" + entry.getValue().asText());
            var providerJobId = remote.path("providerJobId").asText("");
            if (holder == null || providerJobId.isEmpty()) {
                continue;
            }
            var job = connector(holder).management().get("/v3/kakehashi/compute/jobs/" + providerJobId);
            longest = Math.max(longest, Duration.between(Instant.parse(job.path("createdAt").asText()),
                    Instant.parse(job.path("updatedAt").asText())).toMillis());
        }
        return longest;
    }

    private ConnectorProcess connector(String name) {
        return switch (name) {
            case PROVIDER_NAME -> provider;
            case PLANT_NAME -> plant;
            case SG_NAME -> sg;
            case CONSUMER_NAME -> consumer;
            default -> throw new IllegalArgumentException("no connector " + name);
        };
    }

    /**
     * A holder of machine-health records: its plants, how many machine-days it keeps, its climate (Singapore's
     * machines run warmer, Germany's cooler) and the seeds of its records and of the vendor's validation data from
     * its distribution.
     */
    record HealthHolder(String name, List<String> plants, int rows, double temperatureShift, long dataSeed, long validationSeed) {
    }

    static final List<HealthHolder> HEALTH_HOLDERS = List.of(
            new HealthHolder(PROVIDER_NAME, List.of("NGY", "OSK"), 3000, 0.0, 11, 102),
            new HealthHolder(PLANT_NAME, List.of("LUW"), 2000, -4.0, 12, 101),
            new HealthHolder(SG_NAME, List.of("SG1", "SG2"), 1500, 4.0, 13, 103));

    /**
     * Step: the AI vendor searches its federated catalog — both holders' catalogs, fetched by its crawler over DSP
     * with its own identity — in English for "machine operation" and finds the maker's Japanese-titled dataset;
     * a SPARQL query counts the datasets per peer.
     */
    public Discovery findAcrossPeers() {
        var api = consumer.management();
        var deadline = Instant.now().plus(STEP_TIMEOUT);
        while (true) {
            var names = Map.of(providerSettings.did(), PROVIDER_NAME, plantSettings.did(), PLANT_NAME, sgSettings.did(), SG_NAME);
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
        if (accessPolicyId == null) {
            ensureOpenAccessPolicy(PROVIDER_NAME);
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
     * Step: the maker's gateway appends its machines' operation records to a JSON Lines file; the maker offers it as
     * a live stream; the AI vendor negotiates and pulls it over gRPC, suspends it (delivery stops), resumes it (it
     * continues at the next record) and terminates it (nothing passes afterwards). The vendor checks that the records
     * it holds are numbered 0, 1, 2, … with none lost and none twice.
     */
    public Telemetry streamTelemetry(String contractPolicyId) {
        var api = provider.management();
        api.createAsset(TELEMETRY_ASSET_ID, Map.of("name", "Machine operation telemetry, Nagoya and Osaka plants (live)",
                        "contenttype", "application/x-ndjson"),
                Map.of("type", "KakehashiRecordStream", "https://w3id.org/kakehashi/transfer/recordFile", "telemetry.jsonl"));
        ensureOpenAccessPolicy(PROVIDER_NAME);
        api.createContractDefinition(TELEMETRY_ASSET_ID + "-offer", OPEN_ACCESS_POLICY, contractPolicyId, TELEMETRY_ASSET_ID);
        try (var gateway = TelemetryGateway.start(providerSettings.directory().resolve("streams").resolve("telemetry.jsonl"), 200)) {
            report("The maker's gateway appends its machines' operation records to a JSON Lines file (200 a second); the maker offers it as the live stream '%s'",
                    TELEMETRY_ASSET_ID);
            var agreementId = negotiate(discover(TELEMETRY_ASSET_ID));
            var vendor = consumer.management();
            var received = workDir.resolve("ai-vendor-inbox").resolve("telemetry.jsonl");
            var transferId = vendor.transferGrpcPull(providerSettings.dspAddress(), providerSettings.participantId(), agreementId, received);
            vendor.awaitTransferState(transferId, "STARTED", STEP_TIMEOUT);
            awaitRecords(vendor, transferId, received, 600);
            vendor.suspendTransfer(transferId, "the vendor's trainer pauses");
            vendor.awaitTransferState(transferId, "SUSPENDED", STEP_TIMEOUT);
            var atSuspend = stableCount(received);
            ConnectorProcess.sleep(1500);
            var afterPause = stableCount(received);
            report("Transfer %s SUSPENDED at %,d records; %,d arrived during the 1.5 s pause while the gateway wrote on (%,d written)",
                    transferId, atSuspend, afterPause - atSuspend, gateway.written());
            vendor.resumeTransfer(transferId);
            vendor.awaitTransferState(transferId, "STARTED", STEP_TIMEOUT);
            awaitRecords(vendor, transferId, received, atSuspend + 600);
            vendor.terminateTransfer(transferId, "enough telemetry for today");
            vendor.awaitTransferState(transferId, "TERMINATED", STEP_TIMEOUT);
            var atEnd = stableCount(received);
            ConnectorProcess.sleep(1000);
            var afterEnd = stableCount(received);
            var gaps = sequenceErrors(received);
            report("Transfer %s RESUMED, then TERMINATED at %,d records (%,d after the end); sequence %s",
                    transferId, atEnd, afterEnd - atEnd, gaps == 0 ? "0, 1, 2, … with none lost and none twice" : gaps + " records out of order, lost or twice");
            return new Telemetry(transferId, atSuspend, afterPause - atSuspend, atEnd, afterEnd - atEnd, gaps);
        }
    }

    private void awaitRecords(ManagementClient api, String transferId, Path received, long records) {
        var deadline = Instant.now().plus(STEP_TIMEOUT);
        while (countLines(received) < records) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the telemetry stream stalled at " + countLines(received) + " records: " + api.transfer(transferId));
            }
            ConnectorProcess.sleep(500);
            // the data plane meters the current call (it starts again after a resume); the file holds them all
            var progress = api.transferProgress(transferId);
            if (progress.path("messages").asLong() > 0) {
                out.printf("      progress: %,d records received, %,d in this call at %.1f kB/s%n", countLines(received),
                        progress.path("messages").asLong(), progress.path("bytesPerSecond").asLong() / 1e3);
            }
        }
    }

    /** The number of records in the file once it stopped growing for a moment. */
    private static long stableCount(Path file) {
        var last = countLines(file);
        while (true) {
            ConnectorProcess.sleep(300);
            var now = countLines(file);
            if (now == last) {
                return now;
            }
            last = now;
        }
    }

    private static long countLines(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many records do not carry the sequence number their position says (0, 1, 2, …). */
    private static long sequenceErrors(Path file) {
        try (var lines = Files.lines(file)) {
            var expected = new long[1];
            return lines.filter(line -> !line.startsWith("{\"seq\":" + expected[0]++ + ",")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    public ConnectorSettings sgSettings() {
        return sgSettings;
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
                          String receivedSha256, long bytes, String refusal, Audit audit, Discovery discovery, Telemetry telemetry,
                          Compute compute) {
    }

    /**
     * What the AI vendor computed where the data lives: its agreements with the three holders, the SQL analysis job
     * at the maker, the reason the raw-rows job was refused, and the federated training.
     */
    public record Compute(Map<String, String> agreements, String analysisJobId, String rawRowsRefusal, Training training) {
    }

    /** What the AI vendor found in its federated catalog: datasets per peer, hits of its English search, the maker's Japanese title. */
    public record Discovery(Map<String, Integer> datasetsPerPeer, int hits, String makerTitleJa) {
    }

    /**
     * What the auditor found about the AI vendor in the maker's log: the policy's decisions on its contract requests,
     * the agreements made, its compute decisions (jobs and the release of their results), how many of those refused,
     * and whether the chain held.
     */
    public record Audit(int negotiationDecisions, int agreements, int computeDecisions, int computeRefusals, boolean intact) {
    }

    /** A federated training: its id, rounds run, and accuracy of the federated and the central model on the same data. */
    public record Training(String id, int rounds, double federatedAccuracy, double centralAccuracy) {
    }

    /**
     * The live telemetry the AI vendor received: records at suspension, records that arrived while suspended (0),
     * records at termination, records after it (0), and records out of sequence (0).
     */
    public record Telemetry(String transferId, long atSuspend, long duringSuspension, long atEnd, long afterEnd, long sequenceErrors) {
    }

    /** A completed transfer and the file it delivered. */
    public record Delivery(String transferId, Path file) {
    }
}
