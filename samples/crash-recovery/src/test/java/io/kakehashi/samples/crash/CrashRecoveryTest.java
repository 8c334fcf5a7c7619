package io.kakehashi.samples.crash;

import io.kakehashi.samples.crash.CrashDataspace.Side;
import io.kakehashi.samples.crash.Situation.Result;
import io.kakehashi.samples.support.ManagementClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash suite of issue 14, "crash-safe: kill -9 either connector anywhere". A provider and a consumer (the
 * launcher jar, PostgreSQL, DCP identity; {@link CrashDataspace}) go through waves of kill points; in each wave one
 * side is killed with SIGKILL while every situation of the wave stands at its point, then restarted with the same
 * settings, and each situation must reach its final state on both sides within a bound ({@value #BOUND_PROPERTY},
 * default 90 s after the restarted side is ready): negotiations, bulk transfers, record streams and compute jobs
 * ({@link NegotiationSituation}, {@link BulkSituation}, {@link StreamSituation}, {@link ComputeSituation}). After each kill both decision logs must verify and still hold every
 * decision exported before it; at the end no agreement may be one-sided or duplicated, and an agreement whose
 * negotiation ended TERMINATED must be refused for a new transfer.
 * <p>
 * Every point runs whatever fails; the summary (target/crash-recovery/summary.txt, also printed) lists each point's
 * state at the kill, outcome and resume time, and the test then fails naming every failed point and why.
 * {@value #ROUNDS_PROPERTY}=N runs every wave N times (default 1: 28 points, 8 kills); {@value #ONLY_PROPERTY}=text[,text…]
 * keeps only the points whose name contains one of the texts ({@code ^text}: starts with it).
 */
@Tag("crash")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRecoveryTest {

    static final String ROUNDS_PROPERTY = "kakehashi.crash.rounds";
    static final String ONLY_PROPERTY = "kakehashi.crash.only";
    static final String BOUND_PROPERTY = "kakehashi.crash.bound";
    /** {@code provider} or {@code consumer}: only the waves that kill that side (default both). */
    static final String VICTIM_PROPERTY = "kakehashi.crash.victim";
    /** Adds the points the default run leaves out for time: a federated-learning round killed while it trains. */
    static final String ALL_PROPERTY = "kakehashi.crash.all";
    private static final Duration POSITION_TIMEOUT = Duration.ofSeconds(60);

    private final Path workDir = Path.of("target", "crash-recovery").toAbsolutePath();
    private final CrashReport report = new CrashReport();
    private final ExecutorService pool = Executors.newFixedThreadPool(12, runnable -> {
        var thread = new Thread(runnable, "crash-suite");
        thread.setDaemon(true);
        return thread;
    });
    private CrashDataspace dataspace;
    private final List<StreamSituation> streams = new ArrayList<>();

    @BeforeAll
    void startDataspace() {
        dataspace = CrashDataspace.start(workDir.resolve("run"));
    }

    @AfterAll
    void stop() {
        streams.forEach(StreamSituation::close);
        pool.shutdownNow();
        if (dataspace != null) {
            dataspace.close();
        }
    }

    @Test
    void everyKillPoint_whenEitherSideIsKilledAndRestarted_shouldEndRightOnBothSides() {
        var rounds = Integer.getInteger(ROUNDS_PROPERTY, 1);
        var bound = Duration.parse(System.getProperty(BOUND_PROPERTY, "PT90S"));
        var victims = System.getProperty(VICTIM_PROPERTY, "").trim();
        for (var round = 1; round <= rounds; round++) {
            for (var victim : Side.values()) {
                if (!victims.isEmpty() && !victims.equalsIgnoreCase(victim.label())) {
                    continue;
                }
                var r = round;
                var transfers = new ArrayList<Supplier<Situation>>(List.of(
                        () -> new StreamSituation(dataspace, "PULL", victim, r),
                        () -> new StreamSituation(dataspace, "PUSH", victim, r),
                        () -> new BulkSituation(dataspace, BulkSituation.Moment.MID, "PULL", victim, r),
                        () -> new BulkSituation(dataspace, BulkSituation.Moment.MID, "PUSH", victim, r),
                        () -> new BulkSituation(dataspace, BulkSituation.Moment.STARTED, "PULL", victim, r),
                        () -> new BulkSituation(dataspace, BulkSituation.Moment.STARTED, "PUSH", victim, r),
                        () -> new BulkSituation(dataspace, BulkSituation.Moment.REQUESTED, "PULL", victim, r),
                        () -> new BulkSituation(dataspace, BulkSituation.Moment.REQUESTED, "PUSH", victim, r),
                        () -> new NegotiationSituation(dataspace, NegotiationSituation.Moment.REQUESTED, false, victim, r),
                        () -> new NegotiationSituation(dataspace, NegotiationSituation.Moment.REQUESTED, true, victim, r),
                        () -> new ComputeSituation(dataspace, victim, r)));
                if (Boolean.getBoolean(ALL_PROPERTY)) {
                    transfers.add(() -> new ComputeSituation(dataspace, ComputeSituation.Kind.FEDERATED_ROUND, victim, r));
                }
                wave("transfers", victim, bound, transfers);
                wave("negotiation in flight", victim, bound, List.of(
                        () -> new NegotiationSituation(dataspace, NegotiationSituation.Moment.IN_FLIGHT, false, victim, r)));
                wave("after the agreement", victim, bound, List.of(
                        () -> new NegotiationSituation(dataspace, NegotiationSituation.Moment.AGREED, false, victim, r)));
                wave("terminated after the agreement", victim, bound, List.of(
                        () -> new NegotiationSituation(dataspace, NegotiationSituation.Moment.TERMINATED_AFTER_AGREEMENT, false, victim, r)));
            }
        }
        checkAgreements(bound);

        var summary = workDir.resolve("summary.txt");
        report.write(summary);
        System.out.println(report.render());
        var failures = report.failures();
        assertThat(failures).as("failed kill points and checks (summary in %s):%n%s", summary, describe(failures)).isEmpty();
    }

    /**
     * One wave: its situations set up, brought to their points, one side killed and restarted, each settled.
     */
    private void wave(String name, Side victim, Duration bound, List<Supplier<Situation>> kinds) {
        var only = List.of(System.getProperty(ONLY_PROPERTY, "").split(","));
        var situations = new ArrayList<Situation>();
        for (var kind : kinds) {
            var situation = kind.get();
            if (only.stream().anyMatch(text -> selects(text.trim(), situation.result().name()))) {
                situations.add(situation);
                if (situation instanceof StreamSituation stream) {
                    streams.add(stream);
                }
            }
        }
        if (situations.isEmpty()) {
            return;
        }
        var waveName = "%s wave, %s killed".formatted(name, victim.label());
        System.out.printf("crash suite: %s (%d points)%n", waveName, situations.size());
        situations.forEach(situation -> report.point(situation.result()));
        var ready = new ArrayList<Situation>();
        for (var entry : inParallel(situations, Situation::prepare).entrySet()) {
            if (entry.getValue() == null) {
                ready.add(entry.getKey());
            } else {
                entry.getKey().result().problem("set-up failed before the kill: %s", entry.getValue());
                entry.getKey().result().outcome = "not run";
            }
        }
        var fleeting = ready.stream().anyMatch(Situation::fleeting);
        var logsBefore = new LinkedHashMap<Side, String>();
        if (fleeting) {
            exportDecisionLogs(logsBefore);
        }
        for (var situation : ready) {
            try {
                situation.begin();
            } catch (RuntimeException e) {
                situation.result().problem("could not start before the kill: %s", Situation.abbreviate(String.valueOf(e.getMessage()), 200));
            }
        }
        awaitPositions(ready);
        if (!fleeting) {
            exportDecisionLogs(logsBefore);
        }
        for (var situation : ready) {
            situation.result().stateAtKill = situation.describe();
        }
        var triggered = new LinkedHashMap<Situation, Long>();
        for (var situation : ready) {
            try {
                if (situation.trigger()) {
                    triggered.put(situation, System.nanoTime());
                }
            } catch (RuntimeException e) {
                situation.result().problem("the request before the kill failed: %s", Situation.abbreviate(String.valueOf(e.getMessage()), 200));
            }
        }
        var killedAt = System.nanoTime();
        dataspace.kill(victim);
        triggered.forEach((situation, sent) -> situation.result().stateAtKill = "requested %d ms before the kill".formatted((killedAt - sent) / 1_000_000));
        ready.forEach(Situation::afterKill);
        var launched = Instant.now();
        dataspace.restart(victim);
        var readyAt = Instant.now();
        report.restart(Duration.between(launched, readyAt));
        System.out.printf("crash suite: %s: %s back after %d ms%n", waveName, victim.label(), Duration.between(launched, readyAt).toMillis());
        var deadline = readyAt.plus(bound);
        inParallel(ready, situation -> situation.settle(readyAt, deadline)).forEach((situation, error) -> {
            if (error != null) {
                situation.result().problem("checking after the restart failed: %s", error);
            }
        });
        checkDecisionLogs(waveName, logsBefore, !fleeting);
    }

    /** Whether a text of {@value #ONLY_PROPERTY} keeps a point: the name holds the text, or starts with it after a {@code ^}. */
    static boolean selects(String text, String pointName) {
        return text.startsWith("^") ? pointName.startsWith(text.substring(1)) : pointName.contains(text);
    }

    private void exportDecisionLogs(Map<Side, String> logs) {
        for (var side : Side.values()) {
            logs.put(side, dataspace.auditor(side).exportDecisions());
        }
    }

    /** Polls every situation until each stands at its kill point, for at most {@link #POSITION_TIMEOUT}. */
    private void awaitPositions(List<Situation> situations) {
        var waiting = new ArrayList<>(situations);
        var deadline = Instant.now().plus(POSITION_TIMEOUT);
        while (!waiting.isEmpty() && Instant.now().isBefore(deadline)) {
            waiting.removeIf(situation -> {
                try {
                    return situation.inPosition();
                } catch (RuntimeException e) {
                    return false;
                }
            });
            CrashDataspace.sleep(50);
        }
        for (var situation : waiting) {
            situation.result().problem("did not reach its kill point within %ds (killed anyway): %s", POSITION_TIMEOUT.toSeconds(), situation.describe());
        }
    }

    /**
     * Both decision logs verify after the kill and still hold, in order, every decision exported before it; the
     * provider's holds some when the wave's transfers were decided before the export.
     */
    private void checkDecisionLogs(String waveName, Map<Side, String> before, boolean providerDecided) {
        for (var side : Side.values()) {
            var check = Result.check("decision log of the %s after the %s".formatted(side.label(), waveName));
            report.check(check);
            try {
                var auditor = dataspace.auditor(side);
                var verification = auditor.verify();
                var beforeLines = before.get(side).lines().toList();
                var afterLines = auditor.exportDecisions().lines().toList();
                check.outcome = "%s, %d entries checked; %d decisions before the kill, %d after".formatted(
                        verification.path("intact").asBoolean() ? "intact" : "BROKEN", verification.path("entriesChecked").asLong(),
                        beforeLines.size(), afterLines.size());
                if (!verification.path("intact").asBoolean()) {
                    check.problem("the %s's decision log does not verify: %s", side.label(), verification);
                }
                // the provider decided the wave's transfers before the kill; the consumer, which only asks, may have none
                if (side == Side.PROVIDER && providerDecided && beforeLines.isEmpty()) {
                    check.problem("the provider's decision log held no decision before the kill");
                }
                for (var i = 0; i < beforeLines.size(); i++) {
                    if (i >= afterLines.size() || !beforeLines.get(i).equals(afterLines.get(i))) {
                        check.problem("the %s's decision log lost or changed decision %d of the %d exported before the kill: %s", side.label(), i + 1,
                                beforeLines.size(), Situation.abbreviate(beforeLines.get(i), 160));
                        break;
                    }
                }
            } catch (RuntimeException e) {
                check.outcome = "not readable";
                check.problem("the %s's auditor API failed after the restart: %s", side.label(), Situation.abbreviate(String.valueOf(e.getMessage()), 200));
            }
        }
    }

    /**
     * No agreement one-sided or duplicated: each side holds each agreement once, every agreement of a FINALIZED
     * negotiation is on both sides; an agreement whose negotiation ended TERMINATED is refused for a new transfer.
     */
    private void checkAgreements(Duration bound) {
        var check = Result.check("agreements on both sides");
        report.check(check);
        var perSide = new HashMap<Side, Map<String, Integer>>();
        // each side's own id of an agreement -> the id both sides share
        var sharedIds = new HashMap<Side, Map<String, String>>();
        for (var side : Side.values()) {
            var counts = new HashMap<String, Integer>();
            var shared = new HashMap<String, String>();
            for (var agreement : dataspace.all(side, "/v3/contractagreements/request")) {
                var sharedId = agreement.path("agreementId").asText(agreement.path("@id").asText());
                counts.merge(sharedId, 1, Integer::sum);
                shared.put(agreement.path("@id").asText(), sharedId);
            }
            perSide.put(side, counts);
            sharedIds.put(side, shared);
            counts.forEach((id, count) -> {
                if (count > 1) {
                    check.problem("agreement %s is held %d times by the %s", id, count, side.label());
                }
            });
        }
        var consumerIds = perSide.get(Side.CONSUMER).keySet();
        var providerIds = perSide.get(Side.PROVIDER).keySet();
        consumerIds.stream().filter(id -> !providerIds.contains(id))
                .forEach(id -> check.problem("agreement %s is held by the consumer only", id));
        providerIds.stream().filter(id -> !consumerIds.contains(id))
                .forEach(id -> check.problem("agreement %s is held by the provider only", id));
        // an agreement whose negotiation ended TERMINATED on either side, tried by the consumer wherever it holds it
        var terminated = new LinkedHashMap<String, String>();
        for (var side : Side.values()) {
            for (var negotiation : dataspace.all(side, "/v3/contractnegotiations/request")) {
                var localId = negotiation.path("contractAgreementId").asText("");
                if ("TERMINATED".equals(negotiation.path("state").asText()) && !localId.isEmpty()) {
                    terminated.putIfAbsent(sharedIds.get(side).getOrDefault(localId, localId),
                            "%s negotiation %s".formatted(side.label(), negotiation.path("@id").asText()));
                }
            }
        }
        var consumerLocalIds = new HashMap<String, String>();
        sharedIds.get(Side.CONSUMER).forEach((local, shared) -> consumerLocalIds.put(shared, local));
        var tried = 0;
        for (var entry : terminated.entrySet()) {
            var consumerLocal = consumerLocalIds.get(entry.getKey());
            if (consumerLocal != null) {
                tried++;
                checkRefused(check, consumerLocal, entry.getValue(), bound);
            }
        }
        check.outcome = "%d agreements at the consumer, %d at the provider; %d agreements of TERMINATED negotiations, %d held by the consumer and tried for a new transfer"
                .formatted(consumerIds.size(), providerIds.size(), terminated.size(), tried);
    }

    /** A new transfer under an agreement whose negotiation ended TERMINATED must be refused, at once or by the provider. */
    private void checkRefused(Result check, String agreementId, String negotiation, Duration bound) {
        String transferId;
        try {
            transferId = dataspace.transfer(agreementId, "PULL", dataspace.inbox().resolve("refused-" + agreementId + ".bin"));
        } catch (ManagementClient.ManagementApiException e) {
            if (e.status() >= 500) {
                check.problem("a transfer under agreement %s of the TERMINATED %s was answered with %s", agreementId, negotiation,
                        Situation.abbreviate(e.getMessage(), 200));
            }
            return;
        }
        var deadline = Instant.now().plus(bound);
        while (Instant.now().isBefore(deadline)) {
            var state = dataspace.read(Side.CONSUMER, "/v3/transferprocesses/" + transferId).path("state").asText();
            if ("TERMINATED".equals(state)) {
                return;
            }
            if ("STARTED".equals(state) || "COMPLETED".equals(state)) {
                check.problem("agreement %s of the TERMINATED %s was used for transfer %s, which reached %s", agreementId, negotiation,
                        transferId, state);
                return;
            }
            CrashDataspace.sleep(250);
        }
        check.problem("transfer %s under agreement %s of the TERMINATED %s was neither refused nor run within %ds", transferId,
                agreementId, negotiation, bound.toSeconds());
    }

    private <T> Map<T, String> inParallel(List<T> items, java.util.function.Consumer<T> action) {
        var futures = new LinkedHashMap<T, Future<?>>();
        for (var item : items) {
            futures.put(item, pool.submit(() -> action.accept(item)));
        }
        var errors = new LinkedHashMap<T, String>();
        futures.forEach((item, future) -> {
            try {
                future.get();
                errors.put(item, null);
            } catch (java.util.concurrent.ExecutionException e) {
                errors.put(item, Situation.abbreviate(String.valueOf(e.getCause()), 300));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        return errors;
    }

    private static String describe(List<Result> failures) {
        var out = new StringBuilder();
        for (var failure : failures) {
            out.append("- ").append(failure.name()).append(" [state at the kill: ").append(failure.stateAtKill).append("]\n");
            failure.problems.forEach(problem -> out.append("    * ").append(problem).append('\n'));
        }
        return out.toString();
    }
}
