package io.kakehashi.samples.mobilityplant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.samples.support.AuditorClient;
import io.kakehashi.samples.support.CompactJws;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.DataspaceAuthority;
import io.kakehashi.samples.support.FileServer;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The second Kakehashi dataspace, with its own authority: two scenarios of the contract guidelines between four
 * connectors, each the launcher jar in its own JVM on loopback.
 * <ul>
 *   <li><b>Mobility</b>: a Tokyo taxi operator holds its probe data (trips naming the passenger) and a register of
 *   its passengers' consents. A city planner gets k-anonymised aggregates (SQL jobs run at the operator under
 *   {@code ai.minAggregation}, each group covering at least k distinct passengers), reading only the trips of
 *   passengers whose consent covers analytics by the planner, and the trip records of the same passengers for its
 *   origin–destination panel. A passenger withdraws; the planner's connector deletes that passenger's trips and
 *   answers with a signed deletion receipt, which the operator's connector verifies and records.</li>
 *   <li><b>Plant safety</b>: a Japanese plant operator offers its corrosion inspection records for training a
 *   maintenance model whose rights are held jointly ({@code modelRights joint}); a German plant operator trains it at
 *   the Japanese operator's connector and exports it, publishes the model, and the Japanese operator receives it with
 *   the German connector's signed provenance statement, which its connector checks and keeps.</li>
 * </ul>
 * Every step is printed to the given stream. Not thread-safe: one scenario, driven by one thread.
 */
public final class MobilityPlantSafetyDataspace implements AutoCloseable {

    public static final String TAXI_NAME = "taxi-operator";
    public static final String PLANNER_NAME = "city-planner";
    public static final String JP_PLANT_NAME = "jp-plant-operator";
    public static final String DE_PLANT_NAME = "de-plant-operator";
    public static final String MOBILITY_DATASPACE = "tokyo-mobility";
    public static final String PLANT_DATASPACE = "plant-safety";

    /**
     * The fewest distinct passengers a group in an aggregate may cover ({@code ai.minAggregation}): the trips are
     * personal data naming their passenger, so the operator's output guard counts passengers, not trips.
     */
    public static final int K = 10;
    public static final int PASSENGERS = 40;
    public static final int TRIPS_PER_PASSENGER = 24;
    /** The passenger who withdraws consent after the planner received their trips. */
    public static final String WITHDRAWING_PASSENGER = TaxiProbeData.passenger(7);
    /** The taxi operator's trips, for SQL jobs at its connector (a local file only its compute runners read). */
    public static final String TRIPS_COMPUTE_ASSET = "taxi-probe-trips-aggregates";
    /** The same trips, delivered record by record for the planner's origin–destination panel. */
    public static final String TRIPS_PANEL_ASSET = "taxi-probe-trips-od-panel";
    public static final String INSPECTIONS_ASSET = "corrosion-inspections-chiba-2016-2026";
    public static final String MODEL_ASSET = "corrosion-maintenance-model-2026";
    public static final int INSPECTIONS = 2_400;

    static final String POLICY = "https://w3id.org/kakehashi/policy/";
    static final String SUBJECT_FIELD = "https://w3id.org/kakehashi/consent/dataSubjectField";
    static final String DERIVED_FROM = "https://w3id.org/kakehashi/lineage/derivedFrom";
    static final String OPEN = "anyone-trusted";
    static final String TRIPS_FILE = "trips-2026-11.csv";
    // four JVMs booting at once on a busy 2-core machine can take minutes; a quiet one takes well under one
    static final Duration START_TIMEOUT = Duration.ofMinutes(8);
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper MAPPER = ManagementClient.mapper();

    private final Path workDir;
    private final PrintStream out;
    private final DataspaceAuthority authority;
    private final ConnectorSettings taxiSettings;
    private final ConnectorSettings plannerSettings;
    private final ConnectorSettings jpSettings;
    private final ConnectorSettings deSettings;
    private final List<ConnectorProcess> connectors = new ArrayList<>();
    private final List<AutoCloseable> servers = new ArrayList<>();
    private final Map<String, String> consentIds = new LinkedHashMap<>();
    private ConnectorProcess taxi;
    private ConnectorProcess planner;
    private ConnectorProcess jp;
    private ConnectorProcess de;
    private int step;
    private long started;

    public MobilityPlantSafetyDataspace(Path workDir, PrintStream out) {
        this.workDir = workDir.toAbsolutePath();
        this.out = out;
        this.authority = DataspaceAuthority.start(this.workDir.resolve("authority"), "mobility-plant-safety-authority", out);
        this.taxiSettings = settings(TAXI_NAME);
        this.plannerSettings = settings(PLANNER_NAME);
        this.jpSettings = settings(JP_PLANT_NAME);
        this.deSettings = settings(DE_PLANT_NAME);
    }

    private ConnectorSettings settings(String name) {
        return new ConnectorSettings(name, workDir.resolve(name)).trustIssuer("mobility-plant-safety", authority.did());
    }

    public static void main(String[] args) {
        var dir = Path.of(args.length > 0 ? args[0] : "target/second-sample-run");
        WorkDirectory.clear(dir);
        try (var dataspace = new MobilityPlantSafetyDataspace(dir, System.out)) {
            var outcome = dataspace.run();
            var mobility = outcome.mobility();
            var plant = outcome.plantSafety();
            System.out.printf("%nDone in %d s.%n", outcome.seconds());
            System.out.printf("Mobility: the planner's aggregates read %,d of %,d trips (%s), each group of ≥ %d passengers; a finer query refused (%s);%n"
                            + "  fares per passenger refused (%s);%n"
                            + "  %s withdrew: %,d of their trips deleted at the planner, receipt %s at the taxi operator; aggregates now over %,d trips.%n",
                    mobility.aggregatedTrips(), mobility.allTrips(), mobility.consentReason(), mobility.aggregateFewestPassengers(), mobility.refusal(),
                    mobility.perPassengerRefusal(), WITHDRAWING_PASSENGER,
                    mobility.panelTripsBefore() - mobility.panelTripsAfter(), mobility.receiptVerified() ? "verified" : "NOT VERIFIED",
                    mobility.aggregatedTripsAfter());
            System.out.printf("Plant safety: model %s (accuracy %.3f) trained at %s, rights %s; %s kept its signed provenance naming %s.%n",
                    MODEL_ASSET, plant.accuracy(), JP_PLANT_NAME, plant.modelRights(), JP_PLANT_NAME, plant.sourceLineageId());
            System.out.printf("Logs: %s%n", dir.toAbsolutePath());
        }
    }

    /** Runs both scenarios: start, then mobility, then plant safety. */
    public Outcome run() {
        started = System.nanoTime();
        startConnectors();
        var mobility = runMobility();
        var plant = runPlantSafety();
        return new Outcome(mobility, plant, (System.nanoTime() - started) / 1_000_000_000);
    }

    /**
     * Step: the authority issues each company a membership of its dataspace and a legal-entity credential with the
     * issuer tool; the four connectors start from the launcher jar, each trusting the authority only.
     */
    public void startConnectors() {
        authority.issueMembership(taxiSettings, MOBILITY_DATASPACE);
        authority.issueLegalEntity(taxiSettings, "Sakura Kotsu K.K.", "JP", "JCN:8010001034567");
        authority.issueMembership(plannerSettings, MOBILITY_DATASPACE);
        authority.issueLegalEntity(plannerSettings, "Tokyo Urban Planning Bureau", "JP", "JCN:8000020130001");
        authority.issueMembership(jpSettings, PLANT_DATASPACE);
        authority.issueLegalEntity(jpSettings, "Keiyo Chemical Plant K.K.", "JP", "JCN:1040001012345");
        authority.issueMembership(deSettings, PLANT_DATASPACE);
        authority.issueLegalEntity(deSettings, "Rhein Chemie Anlagen GmbH", "DE", "LEI:529900ABCDEF12345X72");
        report("The authority %s issued memberships of '%s' (taxi operator, city planner) and '%s' (Japanese and German plant operators), and a legal-entity credential each",
                authority.did(), MOBILITY_DATASPACE, PLANT_DATASPACE);
        var begin = System.nanoTime();
        // started together: each waits for a peer only when it is asked something
        for (var settings : List.of(taxiSettings, plannerSettings, jpSettings, deSettings)) {
            connectors.add(ConnectorProcess.launch(List.of(ConnectorProcess.launcherJar()), settings));
        }
        connectors.forEach(connector -> connector.awaitReady(START_TIMEOUT));
        taxi = connectors.get(0);
        planner = connectors.get(1);
        jp = connectors.get(2);
        de = connectors.get(3);
        report("Four connectors up in %d ms, each the launcher jar in its own JVM: %s", millisSince(begin),
                String.join(", ", List.of(taxiSettings, plannerSettings, jpSettings, deSettings).stream()
                        .map(settings -> "'%s' as %s".formatted(settings.name(), settings.did())).toList()));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Mobility

    /** The mobility scenario, from the taxi operator's data to the verified deletion receipt. */
    public Mobility runMobility() {
        var trips = publishProbeData();
        recordConsents();
        var aggregateAgreement = planner.management().agree(taxiSettings.dspAddress(), taxiSettings.participantId(), TRIPS_COMPUTE_ASSET, STEP_TIMEOUT);
        report("The city planner agrees to '%s' (agreement %s): purpose analytics, groups of ≥ %d passengers, computed at the taxi operator",
                TRIPS_COMPUTE_ASSET, aggregateAgreement, K);
        var aggregates = aggregateTrips(aggregateAgreement, "before the withdrawal");
        var consentReason = consentDecision("compute");
        report("The taxi operator's decision log on that job: %s", consentReason);
        var refusal = askForFineGrainedTrips(aggregateAgreement);
        var perPassengerRefusal = askForFaresPerPassenger(aggregateAgreement);
        var panel = receivePanel();
        var withdrawal = withdraw(panel);
        var after = aggregateTrips(aggregateAgreement, "after the withdrawal");
        return new Mobility(trips, aggregates.trips(), aggregates.rows(), aggregates.fewestPassengers(), consentReason, refusal, perPassengerRefusal,
                panel.trips(), panel.passengers(),
                withdrawal.tripsLeft(), withdrawal.passengerGone(), withdrawal.receipt(), withdrawal.receiptVerified(),
                withdrawal.providerLogReason(), withdrawal.consumerLogReason(), after.trips());
    }

    /**
     * Step: the taxi operator generates a month of probe data and offers it twice, both as personal data whose
     * column {@code passenger_id} names the data subject, for analytics only: for SQL jobs at its connector whose
     * results must cover at least {@value #K} passengers per group, and as records for the planner's panel.
     */
    public int publishProbeData() {
        var backend = workDir.resolve("taxi-backend");
        var file = backend.resolve(TRIPS_FILE);
        var trips = TaxiProbeData.write(file, PASSENGERS, TRIPS_PER_PASSENGER, 20261101L);
        var server = FileServer.serve(backend);
        servers.add(server);
        report("The taxi operator's backend holds %s: %,d trips of %d passengers (%s), %,d bytes",
                TRIPS_FILE, trips, PASSENGERS, TaxiProbeData.HEADER, size(file));
        var api = taxi.management();
        api.createOpenPolicy(OPEN);
        api.createPolicy("analytics-k" + K,
                ManagementClient.constraint(POLICY + "purpose", "eq", "analytics"),
                ManagementClient.constraint(POLICY + "ai.minAggregation", "gteq", String.valueOf(K)));
        api.createPolicy("analytics-only", ManagementClient.constraint(POLICY + "purpose", "eq", "analytics"));
        api.createAsset(TRIPS_COMPUTE_ASSET, Map.of("name", "Taxi probe data, Tokyo, November 2026 (aggregates only)", "contenttype", "text/csv",
                        "sector", "mobility", SUBJECT_FIELD, TaxiProbeData.SUBJECT_COLUMN),
                Map.of("type", "File", "path", file.toString(), "format", "csv"));
        api.createContractDefinition(TRIPS_COMPUTE_ASSET + "-offer", OPEN, "analytics-k" + K, TRIPS_COMPUTE_ASSET);
        api.createAsset(TRIPS_PANEL_ASSET, Map.of("name", "Taxi trips of consenting passengers, for the origin-destination panel", "contenttype", "text/csv",
                        "sector", "mobility", SUBJECT_FIELD, TaxiProbeData.SUBJECT_COLUMN),
                Map.of("type", "HttpData", "baseUrl", server.urlOf(TRIPS_FILE)));
        api.createContractDefinition(TRIPS_PANEL_ASSET + "-offer", OPEN, "analytics-only", TRIPS_PANEL_ASSET);
        report("The taxi operator offers '%s' for SQL jobs on site (purpose analytics, ai.minAggregation ≥ %d, counted in distinct '%s') and '%s' as records (purpose analytics); both name '%s' as the data subject",
                TRIPS_COMPUTE_ASSET, K, TaxiProbeData.SUBJECT_COLUMN, TRIPS_PANEL_ASSET, TaxiProbeData.SUBJECT_COLUMN);
        return trips;
    }

    /**
     * Step: the taxi operator records its passengers' consents in its connector's register: P-001…P-016 to analytics
     * by members of the mobility dataspace, P-017…P-024 to analytics by the planner (its DID), P-025…P-028 to
     * research only, P-029…P-032 expired a month ago, P-033…P-036 to another company, P-037…P-040 none.
     */
    public void recordConsents() {
        var now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (var p = 1; p <= 36; p++) {
            var consent = MAPPER.createObjectNode().put("subjectId", TaxiProbeData.passenger(p));
            var purposes = consent.putArray("purposes");
            if (p <= 16) {
                purposes.add("analytics");
                consent.put("recipient", "membership:" + MOBILITY_DATASPACE);
            } else if (p <= 24) {
                purposes.add("analytics");
                consent.put("recipient", plannerSettings.did());
            } else if (p <= 28) {
                purposes.add("research");
                consent.put("recipient", "any");
            } else if (p <= 32) {
                purposes.add("analytics");
                consent.put("recipient", "any").put("grantedAt", now.minus(400, ChronoUnit.DAYS).toString())
                        .put("expiresAt", now.minus(30, ChronoUnit.DAYS).toString());
            } else {
                purposes.add("analytics");
                consent.put("recipient", "did:web:ad-network.example");
            }
            var made = taxi.management().post("/v3/kakehashi/consents", consent);
            consentIds.put(TaxiProbeData.passenger(p), made.path("id").asText());
        }
        report("The taxi operator records 36 consents: P-001…P-016 analytics by members of '%s', P-017…P-024 analytics by the planner's DID, "
                + "P-025…P-028 research only, P-029…P-032 expired on %s, P-033…P-036 to another company; P-037…P-040 gave none",
                MOBILITY_DATASPACE, now.minus(30, ChronoUnit.DAYS).toString().substring(0, 10));
    }

    /**
     * Step: the planner's SQL job at the taxi operator: trips, passengers and mean fare per pick-up ward and band
     * of the day. Only consented passengers' trips are read; every group covers at least {@value #K} distinct
     * passengers (every passenger rides from every ward in every band), which the operator's output guard counts on
     * the result.
     */
    public Aggregates aggregateTrips(String agreementId, String when) {
        var begin = System.nanoTime();
        var done = runJob(agreementId, sqlJob("""
                SELECT pickup_ward, hour_band, count(*) AS trips, count(DISTINCT passenger_id) AS passengers, round(avg(fare_jpy)) AS mean_fare_jpy
                FROM asset GROUP BY pickup_ward, hour_band ORDER BY pickup_ward, hour_band"""));
        if (!"COMPLETED".equals(done.path("state").asText())) {
            throw new IllegalStateException("the planner's aggregate job did not complete: " + done);
        }
        var rows = planner.management().computeResult(done.path("id").asText()).path("result").path("rows");
        var trips = 0L;
        var fewestPassengers = Long.MAX_VALUE;
        for (var row : rows) {
            trips += row.get(2).asLong();
            fewestPassengers = Math.min(fewestPassengers, row.get(3).asLong());
        }
        report("The planner's SQL job %s (%s) COMPLETED in %d ms at the taxi operator: %d groups (ward × band of the day) over %,d trips, the smallest of %d passengers (≥ k = %d); first rows:",
                done.path("id").asText(), when, millisSince(begin), rows.size(), trips, fewestPassengers, K);
        out.printf("      %-9s %-8s %6s %11s %14s%n", "ward", "band", "trips", "passengers", "mean fare JPY");
        for (var i = 0; i < Math.min(4, rows.size()); i++) {
            var row = rows.get(i);
            out.printf(Locale.ROOT, "      %-9s %-8s %6d %11d %14.0f%n", row.get(0).asText(), row.get(1).asText(), row.get(2).asLong(),
                    row.get(3).asLong(), row.get(4).asDouble());
        }
        return new Aggregates(done.path("id").asText(), rows.size(), trips, fewestPassengers);
    }

    /**
     * Step: the planner asks for trips per origin, destination and hour — groups of a trip or two, which would single
     * out passengers. The job runs but the output guard refuses its result, so nothing leaves; returns the reason.
     */
    public String askForFineGrainedTrips(String agreementId) {
        var done = runJob(agreementId, sqlJob("""
                SELECT pickup_ward, dropoff_ward, pickup_hour, count(*) AS trips
                FROM asset GROUP BY pickup_ward, dropoff_ward, pickup_hour"""));
        if (!"FAILED".equals(done.path("state").asText())) {
            throw new IllegalStateException("the taxi operator released groups under k: " + done);
        }
        var reason = done.path("reason").asText();
        report("The planner asks for trips per origin, destination and hour (job %s): FAILED, nothing released — %s", done.path("id").asText(), reason);
        return reason;
    }

    /**
     * Step: the planner asks for the mean fare per passenger — {@value #TRIPS_PER_PASSENGER} trips in every group, more
     * than k trips, but each group is one person's. A guard counting trips would let every passenger's own mean fare
     * through; the operator's guard counts passengers and refuses the result, so nothing leaves; returns the reason.
     */
    public String askForFaresPerPassenger(String agreementId) {
        var done = runJob(agreementId, sqlJob("""
                SELECT passenger_id, count(*) AS trips, round(avg(fare_jpy)) AS mean_fare_jpy
                FROM asset GROUP BY passenger_id"""));
        if (!"FAILED".equals(done.path("state").asText())) {
            throw new IllegalStateException("the taxi operator released one passenger's aggregate: " + done);
        }
        var reason = done.path("reason").asText();
        report("The planner asks for the mean fare per passenger (job %s; %d trips per group, ≥ k, but one passenger each): FAILED, nothing released — %s",
                done.path("id").asText(), TRIPS_PER_PASSENGER, reason);
        return reason;
    }

    /**
     * Step: the planner agrees to the panel offer and pulls it over gRPC; the taxi operator's data plane sends only the
     * trips of passengers whose consent covers analytics by the planner.
     */
    public Panel receivePanel() {
        var api = planner.management();
        var agreementId = api.agree(taxiSettings.dspAddress(), taxiSettings.participantId(), TRIPS_PANEL_ASSET, STEP_TIMEOUT);
        var file = workDir.resolve("planner-inbox").resolve("od-panel.csv");
        var begin = System.nanoTime();
        var transferId = api.transferGrpcPull(taxiSettings.dspAddress(), taxiSettings.participantId(), agreementId, file);
        api.awaitCompleted(transferId, STEP_TIMEOUT);
        var passengers = passengersIn(file);
        var trips = lines(file) - 1;
        report("Transfer %s of '%s' COMPLETED in %d ms under agreement %s: %,d trips of %d passengers (%s … %s) in %s",
                transferId, TRIPS_PANEL_ASSET, millisSince(begin), agreementId, trips, passengers.size(), passengers.first(), passengers.last(), file);
        report("The taxi operator's decision log on that transfer: %s", consentDecision("transfer.process"));
        // the lineage is recorded when the process completes; the withdrawal needs it to find the file
        api.awaitGet("/v3/kakehashi/lineage?agreementId=" + URLEncoder.encode(agreementId, StandardCharsets.UTF_8), lineage -> lineage.size() == 1,
                STEP_TIMEOUT, "the planner's lineage of the panel");
        return new Panel(agreementId, transferId, file, trips, passengers);
    }

    /**
     * Step: passenger {@value #WITHDRAWING_PASSENGER} withdraws consent. The taxi operator's connector tells the
     * planner's with a signed notice; the planner's connector deletes that passenger's trips from the file it
     * received and answers with a signed deletion receipt, which the operator's connector verifies against the
     * planner's DID document and records.
     */
    public Withdrawal withdraw(Panel panel) {
        var consentId = consentIds.get(WITHDRAWING_PASSENGER);
        var begin = System.nanoTime();
        var withdrawn = taxi.management().post("/v3/kakehashi/consents/" + consentId + "/withdraw", MAPPER.createObjectNode());
        report("%s withdraws consent %s at %s; the taxi operator's connector sends the planner a signed withdrawal notice",
                WITHDRAWING_PASSENGER, consentId, withdrawn.path("withdrawnAt").asText());
        var notices = taxi.management().awaitGet("/v3/kakehashi/consents/" + consentId + "/notices",
                n -> n.size() == 1 && !"PENDING".equals(n.get(0).path("state").asText()), STEP_TIMEOUT, "the planner's answer to the notice");
        var notice = notices.get(0);
        if (!"CONFIRMED".equals(notice.path("state").asText())) {
            throw new IllegalStateException("the planner did not confirm the deletion: " + notice);
        }
        var receipt = notice.path("receipt").asText();
        var payload = CompactJws.payload(receipt);
        var tripsLeft = lines(panel.file()) - 1;
        var gone = !passengersIn(panel.file()).contains(WITHDRAWING_PASSENGER);
        report("The planner's connector deleted %s's %,d trips from %s (%,d trips left, the passenger %s) and answered in %d ms with a deletion receipt signed by %s:",
                WITHDRAWING_PASSENGER, panel.trips() - tripsLeft, panel.file().getFileName(), tripsLeft, gone ? "gone" : "STILL THERE",
                millisSince(begin), CompactJws.header(receipt).path("kid").asText());
        out.printf("      cause %s, consumer %s, deleted at %s%n", payload.path("cause").asText(), payload.path("consumerId").asText(),
                payload.path("deletedAt").asText(payload.path("issuedAt").asText()));
        payload.path("items").forEach(item -> out.printf("      item %s (%s, SHA-256 %s): deleted %s%n", item.path("lineageId").asText(),
                item.path("kind").asText(), abbreviated(item.path("sha256").asText()), item.path("deleted").asText()));
        var providerLog = new AuditorClient(taxiSettings.auditorUrl(), taxiSettings.auditorKey()).decisions("scope=deletion.receipt").path("decisions");
        var providerReason = providerLog.isEmpty() ? "" : providerLog.get(providerLog.size() - 1).at("/entry/reasons/0/reason").asText();
        var verified = providerReason.contains("signature verified");
        report("The taxi operator's decision log (deletion.receipt): %s", providerReason);
        var signedByPlanner = CompactJws.signedBy(receipt, plannerSettings.did());
        report("The sample checks the receipt the taxi operator kept against the planner's DID document on its own: %s",
                signedByPlanner ? "signed by the planner's key" : "NOT SIGNED BY THE PLANNER");
        var consumerLog = new AuditorClient(plannerSettings.auditorUrl(), plannerSettings.auditorKey()).decisions("scope=deletion").path("decisions");
        var consumerReason = consumerLog.isEmpty() ? "" : consumerLog.get(consumerLog.size() - 1).at("/entry/reasons/0/reason").asText();
        report("The planner's decision log (deletion): %s", consumerReason);
        return new Withdrawal(receipt, verified && signedByPlanner, tripsLeft, gone, providerReason, consumerReason);
    }

    /** The newest consent reason in the taxi operator's log in {@code scope}, as its auditor reads it. */
    private String consentDecision(String scope) {
        var decisions = new AuditorClient(taxiSettings.auditorUrl(), taxiSettings.auditorKey())
                .decisions("scope=" + scope + "&counterparty=" + URLEncoder.encode(plannerSettings.participantId(), StandardCharsets.UTF_8)).path("decisions");
        var reasons = new ArrayList<String>();
        for (var decision : decisions) {
            for (var reason : decision.at("/entry/reasons")) {
                if (reason.path("reason").asText().startsWith("consent:")) {
                    reasons.add(reason.path("reason").asText());
                }
            }
        }
        if (reasons.isEmpty()) {
            throw new IllegalStateException("no consent decision in the taxi operator's " + scope + " log: " + decisions);
        }
        return reasons.get(reasons.size() - 1);
    }

    private JsonNode runJob(String agreementId, ObjectNode job) {
        var api = planner.management();
        return api.awaitComputeJob(api.submitComputeJob(taxiSettings.dspAddress(), taxiSettings.participantId(), agreementId, job), STEP_TIMEOUT);
    }

    private static ObjectNode sqlJob(String query) {
        var job = MAPPER.createObjectNode().put("type", "sql");
        job.putObject("parameters").put("query", query);
        return job;
    }

    private static TreeSet<String> passengersIn(Path file) {
        try (var rows = Files.lines(file)) {
            var passengers = new TreeSet<String>();
            rows.skip(1).forEach(row -> passengers.add(row.split(",")[1]));
            return passengers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Plant safety

    /** The plant-safety scenario, from the inspection records to the provenance kept by the Japanese operator. */
    public PlantSafety runPlantSafety() {
        publishInspections();
        var agreementId = de.management().agree(jpSettings.dspAddress(), jpSettings.participantId(), INSPECTIONS_ASSET, STEP_TIMEOUT);
        report("The German plant operator agrees to '%s' (agreement %s), its LEI admitted", INSPECTIONS_ASSET, agreementId);
        var training = trainAtTheJapaneseOperator(agreementId);
        var modelFile = publishModel(training);
        var refusals = refuseOutsiders();
        return receiveModelWithProvenance(agreementId, training, modelFile, refusals);
    }

    /**
     * Step: the city planner, a trusted company of the other dataspace with a corporate number but no LEI, asks for
     * the inspection records and for the model; both are refused with the reason: the first by the Japanese
     * operator's {@code counterpartyLegalId}, the second by the German connector, which enforces the
     * {@code onwardTransfer} its agreement carries. Returns the two reasons.
     */
    public List<String> refuseOutsiders() {
        var api = planner.management();
        var reasons = new ArrayList<String>();
        for (var peer : List.of(jpSettings, deSettings)) {
            var assetId = peer == jpSettings ? INSPECTIONS_ASSET : MODEL_ASSET;
            var negotiationId = api.negotiate(peer.dspAddress(), api.offerOf(peer.dspAddress(), peer.participantId(), assetId));
            var reason = api.awaitTerminated(negotiationId, STEP_TIMEOUT).path("errorDetail").asText();
            // the detail wraps the provider's DSP error; its policy reason is what the planner's operator reads
            var policyReason = reason.contains("denied by policy: ") ? reason.substring(reason.indexOf("denied by policy: ")).replaceFirst("\"].*$", "") : reason;
            report("The city planner asks %s for '%s': TERMINATED — %s", peer.name(), assetId, policyReason);
            reasons.add(reason);
        }
        return reasons;
    }

    /**
     * Step: the Japanese plant operator generates its corrosion inspection records and offers them for training on
     * site only: purpose ai.training, the model may be exported and kept, its rights held jointly, and anything
     * derived may be passed on only back to the Japanese operator; for companies with an LEI.
     */
    public Path publishInspections() {
        var file = inspectionsFile();
        CorrosionInspectionData.write(file, "KEIYO", List.of("CDU-1", "HDS-2", "FCC-3", "UTIL-4"), INSPECTIONS, 20160401L);
        var api = jp.management();
        api.createOpenPolicy(OPEN);
        api.createPolicy("joint-maintenance-model",
                ManagementClient.constraint(POLICY + "purpose", "eq", "ai.training"),
                ManagementClient.constraint(POLICY + "ai.modelExport", "eq", "true"),
                ManagementClient.constraint(POLICY + "derivedModels", "eq", "keep"),
                ManagementClient.constraint(POLICY + "modelRights", "eq", "joint"),
                ManagementClient.constraint(POLICY + "onwardTransfer", "isAnyOf", List.of(jpSettings.did())),
                ManagementClient.constraint(POLICY + "counterpartyLegalId", "eq", "lei:*"));
        api.createAsset(INSPECTIONS_ASSET, Map.of("name", "Corrosion inspection records of refinery piping, Chiba, 2016-2026", "contenttype", "text/csv",
                        "sector", "plant-and-infrastructure-safety"),
                Map.of("type", "File", "path", file.toString(), "format", "csv"));
        api.createContractDefinition(INSPECTIONS_ASSET + "-offer", OPEN, "joint-maintenance-model", INSPECTIONS_ASSET);
        report("The Japanese plant operator offers '%s' (%,d inspections, SHA-256 %s) for training on site: purpose ai.training, ai.modelExport true, "
                        + "derivedModels keep, modelRights joint, onwardTransfer only to itself, counterpartyLegalId lei:*",
                INSPECTIONS_ASSET, INSPECTIONS, abbreviated(Sha256.of(file)));
        return file;
    }

    /**
     * Step: the German operator trains a classifier of the inspector's verdict at the Japanese operator's connector
     * (the records stay in Japan) and, as the agreement allows, gets the model back as ONNX; its connector records
     * the model in its lineage under the agreement.
     */
    public Training trainAtTheJapaneseOperator(String agreementId) {
        var job = MAPPER.createObjectNode().put("type", "training");
        job.putObject("parameters")
                .put("features", String.join(",", CorrosionInspectionData.FEATURES))
                .put("label", CorrosionInspectionData.LABEL)
                .put("epochs", "20")
                .put("exportModel", "true");
        var api = de.management();
        var begin = System.nanoTime();
        var done = api.awaitComputeJob(api.submitComputeJob(jpSettings.dspAddress(), jpSettings.participantId(), agreementId, job), STEP_TIMEOUT);
        if (!"COMPLETED".equals(done.path("state").asText())) {
            throw new IllegalStateException("the training at the Japanese operator did not complete: " + done);
        }
        var jobId = done.path("id").asText();
        var result = api.computeResult(jobId).path("result");
        var onnx = Base64.getDecoder().decode(result.path("onnx").asText());
        var accuracy = result.at("/metrics/values/accuracy").asDouble();
        var lineage = api.awaitGet("/v3/kakehashi/lineage/" + jobId, record -> record.has("kind"), STEP_TIMEOUT, "the model's lineage");
        report("Training job %s COMPLETED in %d ms at the Japanese operator: held-out accuracy %.3f (the records' majority verdict alone: %.3f); the ONNX model (%,d bytes) came back; "
                        + "the German connector's lineage records it as %s under agreement %s, SHA-256 %s",
                jobId, millisSince(begin), accuracy, majorityShare(), onnx.length, lineage.path("kind").asText(), lineage.path("agreementId").asText(),
                abbreviated(lineage.path("sha256").asText()));
        return new Training(jobId, onnx, accuracy, lineage.path("kind").asText(), lineage.path("sha256").asText());
    }

    /**
     * The share of the Japanese operator's inspections with the more frequent verdict: the accuracy of a model that
     * learnt nothing. Only the sample reads the file; the German operator never sees it.
     */
    public double majorityShare() {
        try (var rows = Files.lines(inspectionsFile())) {
            var verdicts = rows.skip(1).map(row -> row.substring(row.lastIndexOf(',') + 1)).toList();
            var repair = verdicts.stream().filter("repair"::equals).count();
            return (double) Math.max(repair, verdicts.size() - repair) / verdicts.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path inspectionsFile() {
        return jpSettings.directory().resolve("backend").resolve("corrosion-inspections.csv");
    }

    /**
     * Step: the German operator publishes the maintenance model as an asset derived from what it received, offered
     * to the trusted peers; its connector's lineage says whom it may go to.
     */
    public Path publishModel(Training training) {
        var backend = deSettings.directory().resolve("backend");
        var file = backend.resolve("corrosion-maintenance-model.onnx");
        try {
            Files.createDirectories(backend);
            Files.write(file, training.onnx());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var server = FileServer.serve(backend);
        servers.add(server);
        var api = de.management();
        api.createOpenPolicy(OPEN);
        api.createAsset(MODEL_ASSET, Map.of("name", "Corrosion maintenance model (repair or monitor), jointly held", "contenttype", "application/onnx",
                DERIVED_FROM, training.jobId()), Map.of("type", "HttpData", "baseUrl", server.urlOf(file.getFileName().toString())));
        api.createContractDefinition(MODEL_ASSET + "-offer", OPEN, OPEN, MODEL_ASSET);
        var lineage = api.get("/v3/kakehashi/lineage/assets/" + MODEL_ASSET);
        report("The German operator publishes '%s' derived from %s; its connector allows passing it on to: %s",
                MODEL_ASSET, training.jobId(), lineage.at("/onwardTransfer/0/allows").asText());
        return file;
    }

    /**
     * Step: the Japanese operator, co-holder of the model's rights, receives it; the German connector sends a signed
     * provenance statement with it (the agreement, the model's digest, the rights), which the Japanese connector checks
     * against the German operator's DID document and keeps.
     */
    public PlantSafety receiveModelWithProvenance(String inspectionsAgreement, Training training, Path modelFile,
                                                  List<String> refusals) {
        var api = jp.management();
        var agreementId = api.agree(deSettings.dspAddress(), deSettings.participantId(), MODEL_ASSET, STEP_TIMEOUT);
        var received = workDir.resolve("jp-plant-inbox").resolve("corrosion-maintenance-model.onnx");
        var begin = System.nanoTime();
        api.awaitCompleted(api.transferGrpcPull(deSettings.dspAddress(), deSettings.participantId(), agreementId, received), STEP_TIMEOUT);
        var identical = Sha256.of(received).equals(Sha256.of(modelFile));
        report("The Japanese operator receives '%s' under agreement %s in %d ms: %,d bytes, %s the German operator's file",
                MODEL_ASSET, agreementId, millisSince(begin), size(received), identical ? "identical to" : "DIFFERENT FROM");
        var kept = api.awaitGet("/v3/kakehashi/provenance?agreementId=" + URLEncoder.encode(agreementId, StandardCharsets.UTF_8), k -> k.size() == 1,
                STEP_TIMEOUT, "the provenance statement");
        var payload = kept.get(0).path("payload");
        var source = payload.path("sources").get(0);
        var statement = kept.get(0).path("statement").asText();
        var signedByExporter = CompactJws.signedBy(statement, deSettings.did()) && CompactJws.payload(statement).equals(payload);
        report("The Japanese connector verified and kept the German connector's provenance statement: exporter %s, asset %s, source %s (%s, SHA-256 %s) "
                        + "from %s under the agreement with protocol id %s, modelRights %s, derivedModels %s",
                payload.path("exporterId").asText(), payload.path("assetId").asText(), source.path("lineageId").asText(), source.path("kind").asText(),
                abbreviated(source.path("sha256").asText()), source.path("providerId").asText(), source.path("agreementId").asText(),
                source.path("modelRights").asText(), source.path("derivedModels").asText());
        report("The sample checks the kept statement (%s) against the German operator's DID document on its own: %s",
                CompactJws.header(statement).path("typ").asText(), signedByExporter ? "signed by the German operator's key, payload as kept" : "NOT SIGNED BY THE EXPORTER");
        return new PlantSafety(inspectionsAgreement, training.jobId(), training.accuracy(), training.lineageKind(), training.lineageSha256(), received,
                identical, payload.path("exporterId").asText(), source.path("lineageId").asText(), source.path("kind").asText(),
                source.path("sha256").asText(), source.path("providerId").asText(), source.path("modelRights").asText(),
                source.path("derivedModels").asText(), signedByExporter, refusals);
    }

    // ---------------------------------------------------------------------------------------------------------------

    public ConnectorProcess taxi() {
        return taxi;
    }

    public ConnectorProcess planner() {
        return planner;
    }

    public ConnectorProcess jpPlant() {
        return jp;
    }

    public ConnectorProcess dePlant() {
        return de;
    }

    public ConnectorSettings taxiSettings() {
        return taxiSettings;
    }

    public ConnectorSettings plannerSettings() {
        return plannerSettings;
    }

    public ConnectorSettings jpSettings() {
        return jpSettings;
    }

    public ConnectorSettings deSettings() {
        return deSettings;
    }

    @Override
    public void close() {
        connectors.forEach(ConnectorProcess::close);
        for (var server : servers) {
            try {
                server.close();
            } catch (Exception e) {
                out.println("closing a backend: " + e.getMessage());
            }
        }
        authority.close();
    }

    private void report(String format, Object... args) {
        var seconds = started == 0 ? 0 : (System.nanoTime() - started) / 1e9;
        out.printf(Locale.ROOT, "[%d] (%5.1f s) %s%n", ++step, seconds, format.formatted(args));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static String abbreviated(String sha256) {
        return sha256.length() > 12 ? sha256.substring(0, 12) + "…" : sha256;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long lines(Path file) {
        try (var lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What both scenarios produced, and how long they took together. */
    public record Outcome(Mobility mobility, PlantSafety plantSafety, long seconds) {
    }

    /**
     * The mobility scenario: trips generated; trips, groups and the fewest passengers of a group the first aggregate
     * read and returned; the consent reason the taxi operator logged for it; the refusals of the fine-grained job and of
     * the per-passenger job; the panel as received (trips, passengers) and after the withdrawal; the receipt and
     * whether the operator verified it; both logs' reasons; the trips the aggregate read after the withdrawal.
     */
    public record Mobility(int allTrips, long aggregatedTrips, int aggregateGroups, long aggregateFewestPassengers, String consentReason,
                           String refusal, String perPassengerRefusal,
                           long panelTripsBefore, TreeSet<String> panelPassengers, long panelTripsAfter, boolean withdrawnPassengerGone,
                           String receipt, boolean receiptVerified, String providerDeletionReason, String consumerDeletionReason,
                           long aggregatedTripsAfter) {
    }

    /** An aggregate job: its id, the groups returned, the trips they cover and the passengers of its smallest group. */
    public record Aggregates(String jobId, int rows, long trips, long fewestPassengers) {
    }

    /** The panel the planner received: agreement, transfer, file, trips and passengers in it. */
    public record Panel(String agreementId, String transferId, Path file, long trips, TreeSet<String> passengers) {
    }

    /** A withdrawal's end: the receipt, whether the provider verified it (and the sample found it signed by the consumer), what is left at the consumer, both logs' reasons. */
    public record Withdrawal(String receipt, boolean receiptVerified, long tripsLeft, boolean passengerGone, String providerLogReason,
                             String consumerLogReason) {
    }

    /** The training at the Japanese operator: job id, the ONNX model, its accuracy, and the German lineage's kind and digest. */
    public record Training(String jobId, byte[] onnx, double accuracy, String lineageKind, String lineageSha256) {
    }

    /**
     * The plant-safety scenario: the inspection agreement, the training job, its accuracy, the German lineage (kind,
     * digest), the model the Japanese operator received and whether it is the German file, and the provenance statement
     * the Japanese connector kept (exporter; its source's lineage id, kind, digest, provider, modelRights, derivedModels;
 * whether the sample found it signed by the exporter),
 * and the reasons the city planner was refused the records and the model.
     */
    public record PlantSafety(String inspectionsAgreement, String trainingJobId, double accuracy, String lineageKind, String lineageSha256,
                              Path receivedModel, boolean modelIdentical, String exporterId, String sourceLineageId, String sourceKind,
                              String sourceSha256, String sourceProviderId, String modelRights, String derivedModels,
                              boolean statementSignedByExporter, List<String> outsiderRefusals) {
    }
}
