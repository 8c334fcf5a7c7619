package io.kakehashi.samples.replicas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ManagementClient;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18 item 3, "replicas that stay correct": three control-plane replicas of one provider on one PostgreSQL
 * database behind a round-robin proxy (per request, DSP and identity), each with its embedded data plane registered;
 * several consumers negotiate and then transfer (HttpData-PUSH into the test's sink) against it, several at a time.
 * Checked: every consumer negotiation FINALIZED with its own agreement and the provider holding exactly one
 * negotiation and one agreement per consumer negotiation, the same; every transfer COMPLETED on both sides and its
 * data delivered exactly once, byte-exact; no answer of 400 or more through either proxy (no lease contention or
 * early message surfacing to a consumer); the decision log one chain that every replica's auditor API verifies as
 * intact. The CPU time of every process and the database's counters per negotiation and per transfer are printed and
 * written to {@code target/replicas-report.md}.
 * <p>
 * Counts: {@code -Dkakehashi.replicas.negotiations} (200), {@code -Dkakehashi.replicas.transfers} (40),
 * {@code -Dkakehashi.replicas.consumers} (3), {@code -Dkakehashi.replicas.concurrency} (8 at a time per consumer);
 * {@code -Dkakehashi.replicas.full=true} runs the 1,000 negotiations and 200 transfers.
 */
@Tag("EndToEndTest")
@Tag("PostgresqlIntegrationTest")
@DisabledIfSystemProperty(named = "kakehashi.replicas.skip", matches = "true", disabledReason = "-Dkakehashi.replicas.skip=true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedProviderTest {

    private static final boolean FULL = Boolean.getBoolean("kakehashi.replicas.full");
    private static final int NEGOTIATIONS = Integer.getInteger("kakehashi.replicas.negotiations", FULL ? 1000 : 200);
    private static final int TRANSFERS = Integer.getInteger("kakehashi.replicas.transfers", FULL ? 200 : 40);
    private static final int CONSUMERS = Integer.getInteger("kakehashi.replicas.consumers", 3);
    private static final int CONCURRENCY = Integer.getInteger("kakehashi.replicas.concurrency", 8);
    private static final int REPLICAS = 3;
    private static final Duration EACH = Duration.ofMinutes(3);
    /** Longer than PostgreSQL's idle flush of a backend's counters (10 s). */
    private static final long QUIET_MILLIS = 11_000;

    /** One negotiation or transfer as its consumer saw it end. */
    record Outcome(int consumer, int asset, String id, String state, String agreementId, String error, long millis) {
    }

    private ReplicatedDataspace dataspace;
    private CostMeter meter;
    private final Map<Integer, Map<Integer, ObjectNode>> offers = new HashMap<>();
    private final List<Outcome> negotiations = new ArrayList<>();
    private CostMeter.Snapshot afterNegotiations;
    private final StringBuilder report = new StringBuilder();
    private int dspRefusalsNoted;
    private int identityRefusalsNoted;

    @BeforeAll
    void startDataspace() {
        var started = System.nanoTime();
        dataspace = ReplicatedDataspace.start(Path.of("target", "replicas"), REPLICAS, CONSUMERS);
        for (var consumer = 0; consumer < CONSUMERS; consumer++) {
            var perAsset = new HashMap<Integer, ObjectNode>();
            for (var asset = 0; asset < ReplicatedDataspace.ASSETS; asset++) {
                perAsset.put(asset, dataspace.offer(consumer, asset));
            }
            offers.put(consumer, perAsset);
        }
        var pids = new LinkedHashMap<String, Long>();
        var replicas = dataspace.replicas();
        for (var i = 0; i < replicas.size(); i++) {
            pids.put(replicas.get(i).settings().name(), replicas.get(i).pid());
        }
        for (var consumer : dataspace.consumers()) {
            pids.put(consumer.settings().name(), consumer.pid());
        }
        meter = new CostMeter(pids, dataspace.database());
        note("## Replicated provider, %s UTC%n%n%d replicas, %d consumers, %d negotiations, %d transfers, %d at a time per consumer;"
                        + " started in %.1f s; load average %s%n",
                Instant.now().toString().substring(0, 16).replace('T', ' '), REPLICAS, CONSUMERS, NEGOTIATIONS, TRANSFERS, CONCURRENCY,
                (System.nanoTime() - started) / 1e9, loadAverage());
    }

    @AfterAll
    void stopDataspace() throws IOException {
        if (dataspace != null) {
            dataspace.close();
        }
        var file = Path.of("target", "replicas-report.md");
        Files.writeString(file, report.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    @Order(1)
    void negotiations_whenSpreadOverThreeReplicas_shouldEachEndWithExactlyOneAgreement() throws Exception {
        var idle = quietSnapshot();
        var before = quietSnapshot();
        var started = System.nanoTime();
        var outcomes = runPerConsumer(NEGOTIATIONS, (consumer, index) -> {
            var asset = index % ReplicatedDataspace.ASSETS;
            var api = dataspace.consumerApi(consumer);
            var begun = System.nanoTime();
            String id = null;
            try {
                id = api.negotiate(dataspace.providerDspAddress(), offers.get(consumer).get(asset));
                var negotiationId = id;
                var last = awaitFinal(() -> api.negotiation(negotiationId), Set.of("FINALIZED", "TERMINATED"));
                return new Outcome(consumer, asset, id, last.path("state").asText(), last.path("contractAgreementId").asText(""),
                        last.path("errorDetail").asText(""), (System.nanoTime() - begun) / 1_000_000);
            } catch (RuntimeException e) {
                return new Outcome(consumer, asset, id, "ERROR", "", e.toString(), (System.nanoTime() - begun) / 1_000_000);
            }
        });
        var wall = (System.nanoTime() - started) / 1e9;
        negotiations.addAll(outcomes);
        afterNegotiations = quietSnapshot();
        reportCost("negotiation", NEGOTIATIONS, wall, outcomes, idle, before, afterNegotiations);

        var soft = new SoftAssertions();
        soft.assertThat(outcomes).as("negotiations that did not end FINALIZED with an agreement")
                .filteredOn(o -> !"FINALIZED".equals(o.state()) || o.agreementId().isEmpty()).isEmpty();
        // each side keeps an agreement under an id of its own; both know it by the agreement id of the DSP message
        var consumerShared = new HashMap<String, String>();
        for (var consumer = 0; consumer < CONSUMERS; consumer++) {
            consumerShared.putAll(sharedAgreementIds(dataspace.consumerApi(consumer)));
        }
        var consumerAgreements = outcomes.stream().map(Outcome::agreementId).filter(id -> !id.isEmpty())
                .map(id -> consumerShared.getOrDefault(id, "(none for " + id + ")")).toList();
        soft.assertThat(new HashSet<>(consumerAgreements)).as("distinct agreements at the consumers").hasSize(consumerAgreements.size());
        for (var consumer = 0; consumer < CONSUMERS; consumer++) {
            var mine = consumer;
            soft.assertThat(ReplicatedDataspace.all(dataspace.consumerApi(consumer), "/v3/contractnegotiations/request"))
                    .as("negotiations consumer %d holds", consumer + 1)
                    .hasSize((int) outcomes.stream().filter(o -> o.consumer() == mine).count());
        }
        // the provider's side, read through one replica (they share the database)
        var provider = dataspace.replicaApi(0);
        var providerShared = sharedAgreementIds(provider);
        var byConsumerId = new HashMap<String, List<JsonNode>>();
        for (var negotiation : ReplicatedDataspace.all(provider, "/v3/contractnegotiations/request")) {
            byConsumerId.computeIfAbsent(negotiation.path("correlationId").asText(), k -> new ArrayList<>()).add(negotiation);
        }
        soft.assertThat(byConsumerId.values().stream().mapToInt(List::size).sum()).as("negotiations the provider holds").isEqualTo(NEGOTIATIONS);
        for (var outcome : outcomes) {
            var counterparts = byConsumerId.getOrDefault(outcome.id(), List.of());
            soft.assertThat(counterparts).as("the provider's negotiations for consumer negotiation %s", outcome.id()).hasSize(1);
            if (counterparts.size() == 1) {
                soft.assertThat(counterparts.get(0).path("state").asText()).as("provider state of %s", outcome.id()).isEqualTo("FINALIZED");
                soft.assertThat(providerShared.get(counterparts.get(0).path("contractAgreementId").asText()))
                        .as("provider agreement of %s", outcome.id()).isEqualTo(consumerShared.get(outcome.agreementId()));
            }
        }
        soft.assertThat(providerShared.values()).as("the provider's agreements").hasSize(NEGOTIATIONS)
                .containsExactlyInAnyOrderElementsOf(consumerAgreements);
        assertNoRefusals(soft);
        soft.assertAll();
    }

    @Test
    @Order(2)
    void transfers_whenSpreadOverThreeReplicas_shouldEachDeliverItsDataExactlyOnce() throws Exception {
        var agreed = negotiations.stream().filter(o -> "FINALIZED".equals(o.state()) && !o.agreementId().isEmpty()).toList();
        assertThat(agreed).as("agreements to transfer under").hasSizeGreaterThanOrEqualTo(TRANSFERS);
        // the first agreements of each consumer, in turn
        var chosen = new ArrayList<Outcome>();
        var perConsumer = agreed.stream().collect(Collectors.groupingBy(Outcome::consumer));
        for (var i = 0; chosen.size() < TRANSFERS; i++) {
            var consumer = i % CONSUMERS;
            var index = i / CONSUMERS;
            var list = perConsumer.getOrDefault(consumer, List.of());
            if (index < list.size()) {
                chosen.add(list.get(index));
            }
        }
        var byConsumer = chosen.stream().collect(Collectors.groupingBy(Outcome::consumer));
        var idle = afterNegotiations != null ? afterNegotiations : quietSnapshot();
        var before = quietSnapshot();
        var started = System.nanoTime();
        var outcomes = runPerConsumer(TRANSFERS, (consumer, index) -> {
            var agreement = byConsumer.get(consumer).get(index);
            var api = dataspace.consumerApi(consumer);
            var begun = System.nanoTime();
            String id = null;
            try {
                id = api.transferPush(dataspace.providerDspAddress(), dataspace.providerId(), agreement.agreementId(),
                        dataspace.sink().urlFor(sinkName(consumer, index)));
                var transferId = id;
                var last = awaitFinal(() -> api.transfer(transferId), Set.of("COMPLETED", "TERMINATED"));
                return new Outcome(consumer, agreement.asset(), id, last.path("state").asText(), agreement.agreementId(),
                        last.path("errorDetail").asText(""), (System.nanoTime() - begun) / 1_000_000);
            } catch (RuntimeException e) {
                return new Outcome(consumer, agreement.asset(), id, "ERROR", agreement.agreementId(), e.toString(),
                        (System.nanoTime() - begun) / 1_000_000);
            }
        }, byConsumer);
        var wall = (System.nanoTime() - started) / 1e9;
        var after = quietSnapshot();
        reportCost("transfer", TRANSFERS, wall, outcomes, idle, before, after);

        var soft = new SoftAssertions();
        soft.assertThat(outcomes).as("transfers that did not end COMPLETED").filteredOn(o -> !"COMPLETED".equals(o.state())).isEmpty();
        var perName = new HashMap<String, Integer>();
        for (var consumer : byConsumer.keySet()) {
            for (var index = 0; index < byConsumer.get(consumer).size(); index++) {
                var name = sinkName(consumer, index);
                var asset = byConsumer.get(consumer).get(index).asset();
                soft.assertThat(dataspace.sink().deliveries(name)).as("deliveries of %s", name).isEqualTo(1);
                var file = dataspace.sink().directory().resolve(name);
                if (Files.isRegularFile(file)) {
                    soft.assertThat(Files.readAllBytes(file)).as("the bytes of %s (asset %d)", name, asset).isEqualTo(dataspace.assetData(asset));
                }
                perName.put(name, asset);
            }
        }
        soft.assertThat(perName).hasSize(TRANSFERS);
        var provider = dataspace.replicaApi(0);
        var byConsumerId = new HashMap<String, List<JsonNode>>();
        for (var transfer : ReplicatedDataspace.all(provider, "/v3/transferprocesses/request")) {
            byConsumerId.computeIfAbsent(transfer.path("correlationId").asText(), k -> new ArrayList<>()).add(transfer);
        }
        soft.assertThat(byConsumerId.values().stream().mapToInt(List::size).sum()).as("transfer processes the provider holds").isEqualTo(TRANSFERS);
        for (var outcome : outcomes) {
            var counterparts = byConsumerId.getOrDefault(outcome.id(), List.of());
            soft.assertThat(counterparts).as("the provider's transfers for consumer transfer %s", outcome.id()).hasSize(1);
            if (counterparts.size() == 1) {
                // a provider's process goes on from COMPLETED to DEPROVISIONED; a terminated one would carry its reason
                soft.assertThat(counterparts.get(0).path("state").asText()).as("provider state of %s", outcome.id())
                        .isIn("COMPLETED", "DEPROVISIONED");
                soft.assertThat(counterparts.get(0).path("errorDetail").asText("")).as("provider error of %s", outcome.id()).isEmpty();
            }
        }
        try (var connection = dataspace.connect(); var statement = connection.createStatement()) {
            try (var rows = statement.executeQuery("SELECT count(*) FROM edc_data_plane_instance")) {
                rows.next();
                soft.assertThat(rows.getInt(1)).as("data planes registered").isEqualTo(REPLICAS);
            }
            var planes = new LinkedHashMap<String, Integer>();
            try (var rows = statement.executeQuery("SELECT data_plane_id, count(*) FROM edc_transfer_process GROUP BY data_plane_id ORDER BY 1")) {
                while (rows.next()) {
                    planes.put(String.valueOf(rows.getString(1)), rows.getInt(2));
                }
            }
            note("transfers per data plane: %s%n%n", planes);
        }
        assertNoRefusals(soft);
        soft.assertAll();
    }

    @Test
    @Order(3)
    void decisionLog_whenWrittenByThreeReplicas_shouldBeOneChainThatVerifiesOnEach() throws Exception {
        // the unsigned tail is signed within 2 s of its first entry
        ConnectorProcess.sleep(3_000);
        long entries;
        long negotiationEntries;
        long transferEntries;
        try (var connection = dataspace.connect(); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT count(*), count(*) FILTER (WHERE scope = 'contract.negotiation'),"
                     + " count(*) FILTER (WHERE scope = 'transfer.process') FROM kakehashi_decision_log")) {
            rows.next();
            entries = rows.getLong(1);
            negotiationEntries = rows.getLong(2);
            transferEntries = rows.getLong(3);
        }
        note("decision log: %d entries (%d contract.negotiation, %d transfer.process)%n", entries, negotiationEntries, transferEntries);
        var soft = new SoftAssertions();
        soft.assertThat(negotiationEntries).as("negotiation decisions").isGreaterThanOrEqualTo(negotiations.size());
        soft.assertThat(transferEntries).as("transfer decisions").isGreaterThanOrEqualTo(TRANSFERS);
        for (var i = 0; i < REPLICAS; i++) {
            var verdict = dataspace.replicaAuditor(i).verify();
            note("replica %d verify: %s%n", i + 1, verdict);
            soft.assertThat(verdict.path("intact").asBoolean()).as("replica %d: chain intact (%s)", i + 1, verdict).isTrue();
            soft.assertThat(verdict.path("entriesChecked").asLong()).as("replica %d: entries checked", i + 1).isEqualTo(entries);
            soft.assertThat(verdict.path("checkpointsChecked").asLong()).as("replica %d: checkpoints checked", i + 1).isPositive();
        }
        note("%n");
        soft.assertAll();
    }

    private void assertNoRefusals(SoftAssertions soft) {
        note("DSP proxy: %d requests, statuses per replica %s, connection refusals skipped %d; identity proxy: %d requests, %s%n%n",
                dataspace.dspProxy().requests(), dataspace.dspProxy().statuses(), dataspace.dspProxy().skipped(),
                dataspace.identityProxy().requests(), dataspace.identityProxy().statuses());
        var dsp = dataspace.dspProxy().refusals();
        var identity = dataspace.identityProxy().refusals();
        dsp.subList(dspRefusalsNoted, dsp.size()).forEach(refusal -> note("- DSP %s%n", refusal));
        identity.subList(identityRefusalsNoted, identity.size()).forEach(refusal -> note("- identity %s%n", refusal));
        dspRefusalsNoted = dsp.size();
        identityRefusalsNoted = identity.size();
        note("%n");
        // a 503 asks the sender to send again (decision 0020): a message that overtook the transition before it, or a
        // token whose issuer's credential service did not answer in time; the sender retries and the process goes on,
        // which the outcomes above assert. Every other answer of 400 or more is a refusal the consumers saw.
        soft.assertThat(dataspace.dspProxy().refusals()).as("DSP answers of 400 or more, other than 503, the consumers saw")
                .filteredOn(refusal -> refusal.status() != 503).isEmpty();
        soft.assertThat(dataspace.identityProxy().refusals()).as("identity answers of 400 or more, other than 503, the consumers saw")
                .filteredOn(refusal -> refusal.status() != 503).isEmpty();
        soft.assertThat(dataspace.dspProxy().statuses()).as("replicas that answered DSP requests").hasSize(REPLICAS);
    }

    /** Every agreement a connector holds: its own id → the agreement id both sides know it by. */
    private static Map<String, String> sharedAgreementIds(ManagementClient api) {
        var ids = new HashMap<String, String>();
        ReplicatedDataspace.all(api, "/v3/contractagreements/request")
                .forEach(agreement -> ids.put(agreement.path("@id").asText(), agreement.path("agreementId").asText()));
        return ids;
    }

    private static String sinkName(int consumer, int index) {
        return "transfer-%d-%d".formatted(consumer + 1, index);
    }

    /** Polls until the entity's state is one of {@code finals}; returns it, or fails after {@link #EACH}. */
    private static JsonNode awaitFinal(java.util.function.Supplier<JsonNode> poll, Set<String> finals) {
        var deadline = Instant.now().plus(EACH);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = poll.get();
            if (finals.contains(last.path("state").asText())) {
                return last;
            }
            ConnectorProcess.sleep(150);
        }
        throw new IllegalStateException("not final after %s: %s".formatted(EACH, last));
    }

    private interface Work {
        Outcome run(int consumer, int index);
    }

    /** Runs {@code total} pieces of work spread evenly over the consumers, {@link #CONCURRENCY} at a time per consumer. */
    private List<Outcome> runPerConsumer(int total, Work work) {
        var counts = new HashMap<Integer, Integer>();
        for (var i = 0; i < total; i++) {
            counts.merge(i % CONSUMERS, 1, Integer::sum);
        }
        return runPerConsumer(total, work, counts.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> java.util.Collections.nCopies(e.getValue(), (Outcome) null))));
    }

    private List<Outcome> runPerConsumer(int total, Work work, Map<Integer, ? extends List<?>> perConsumer) {
        var results = new ConcurrentLinkedQueue<Outcome>();
        var pools = new ArrayList<ExecutorService>();
        var futures = new ArrayList<CompletableFuture<Void>>();
        try {
            for (var entry : perConsumer.entrySet()) {
                var pool = Executors.newFixedThreadPool(CONCURRENCY);
                pools.add(pool);
                for (var index = 0; index < entry.getValue().size(); index++) {
                    var consumer = entry.getKey();
                    var mine = index;
                    futures.add(CompletableFuture.runAsync(() -> results.add(work.run(consumer, mine)), pool));
                }
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } finally {
            pools.forEach(ExecutorService::shutdownNow);
        }
        assertThat(results).as("work done").hasSize(total);
        return new ArrayList<>(results);
    }

    /**
     * Prints what one phase cost: wall time, throughput, the median and 95th percentile of one piece of work, the CPU
     * seconds of each process per piece (the phase's minus what the same processes spent idle over as long), and the
     * database counters per piece.
     */
    private void reportCost(String what, int count, double wall, List<Outcome> outcomes, CostMeter.Snapshot idleFrom,
                            CostMeter.Snapshot idleTo, CostMeter.Snapshot after) {
        var millis = outcomes.stream().mapToLong(Outcome::millis).sorted().toArray();
        var phaseSeconds = CostMeter.seconds(idleTo, after);
        var idleSeconds = CostMeter.seconds(idleFrom, idleTo);
        note("### %ss%n%n%d in %.1f s (%.1f/s); one %s: median %d ms, p95 %d ms; load average %s%n%n", what, count, wall, count / wall, what,
                percentile(millis, 50), percentile(millis, 95), loadAverage());
        var phaseCpu = CostMeter.cpuSeconds(idleTo, after);
        var idleCpu = CostMeter.cpuSeconds(idleFrom, idleTo);
        note("| process | CPU s in the phase (%.1f s, quiet tail included) | idle CPU s/s | CPU ms per %s, idle subtracted |%n| --- | --- | --- | --- |%n",
                phaseSeconds, what);
        var replicaTotal = 0.0;
        for (var entry : phaseCpu.entrySet()) {
            var idleRate = idleCpu.getOrDefault(entry.getKey(), 0.0) / idleSeconds;
            var net = entry.getValue() - idleRate * phaseSeconds;
            if (entry.getKey().startsWith("provider-")) {
                replicaTotal += net;
            }
            note("| %s | %.2f | %.3f | %.1f |%n", entry.getKey(), entry.getValue(), idleRate, 1000 * net / count);
        }
        note("| all provider replicas | | | %.1f |%n%n", 1000 * replicaTotal / count);
        var phaseDb = CostMeter.databaseDelta(idleTo, after);
        var idleDb = CostMeter.databaseDelta(idleFrom, idleTo);
        note("| PostgreSQL counter (database %s) | in the phase | idle per s | per %s, idle subtracted |%n| --- | --- | --- | --- |%n",
                dataspace.database(), what);
        for (var entry : phaseDb.entrySet()) {
            var idleRate = idleDb.getOrDefault(entry.getKey(), 0L) / idleSeconds;
            note("| %s | %d | %.1f | %.1f |%n", entry.getKey(), entry.getValue(), idleRate, (entry.getValue() - idleRate * phaseSeconds) / count);
        }
        note("%n");
    }

    private static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }

    private CostMeter.Snapshot snapshot() throws SQLException {
        try (var connection = dataspace.connect()) {
            return meter.snapshot(connection);
        }
    }

    /** A snapshot once the connectors have been quiet long enough for PostgreSQL to publish their counters. */
    private CostMeter.Snapshot quietSnapshot() throws SQLException {
        ConnectorProcess.sleep(QUIET_MILLIS);
        return snapshot();
    }

    private void note(String format, Object... args) {
        var text = format.formatted(args);
        report.append(text);
        System.out.print(text);
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "?";
        }
    }
}
