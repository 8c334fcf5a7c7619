package io.kakehashi.samples.interop.bench;

import io.kakehashi.samples.interop.ConnectorKind;
import io.kakehashi.samples.interop.DataOffer;
import io.kakehashi.samples.interop.dcp.DcpMembers;
import io.kakehashi.samples.interop.dcp.StockDcpParticipant;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.DataspaceAuthority;
import io.kakehashi.samples.support.FileServer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Measures, on one machine and in one run, catalog request and contract negotiation latency over DCP with real identity
 * on every side: a Kakehashi connector (launcher jar, its own DCP identity) and two stock EDC 0.15.1 DCP participants,
 * each a control plane with its IdentityHub ({@link StockDcpParticipant}), all members of one dataspace
 * ({@link DcpMembers}: VC 1.1 membership and legal-entity credentials from one authority made with the issuer tool).
 * Three routes, each offering one asset under a membership-constrained policy:
 * <ul>
 *     <li>Kakehashi consumer → stock provider;</li>
 *     <li>stock consumer → Kakehashi provider;</li>
 *     <li>stock consumer → stock provider, the baseline: the same stock consumer and provider as the other two.</li>
 * </ul>
 * One round per state-machine wait, with fresh participants each round; the routes take turns (see
 * {@link LatencyRound}). It prints p50 and p95 of each route and each route's median over stock ↔ stock, and keeps
 * every sample in a CSV file.
 * <p>
 * A benchmark, not a test: it asserts nothing about speed. Run it through Maven ({@code -Pdcp-benchmark}, see
 * docs/benchmarks.md), which computes the runtimes' class paths; options are listed in {@link BenchmarkOptions}.
 */
public final class DcpNegotiationBenchmark {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    private static final String DATASPACE = "benchmark-dataspace";
    private static final String ASSET_ID = "benchmark-asset";
    private static final int BASELINE = 2;

    private final BenchmarkOptions options;

    private DcpNegotiationBenchmark(BenchmarkOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws IOException {
        var benchmark = new DcpNegotiationBenchmark(BenchmarkOptions.fromSystemProperties());
        RoundsRun.run("dcp", "Kakehashi and stock EDC 0.15.1 + IdentityHub over DCP: catalog request and contract negotiation latency",
                benchmark.options, benchmark::describe, benchmark::round);
    }

    private void describe(PrintStream out) {
        out.printf("participants: %s; two stock DCP participants (controlplane-dcp-bom + embedded data plane, identityhub-bom),%n",
                ConnectorKind.KAKEHASHI.description());
        out.println("each JVM on its own, in-memory stores, DSP 2025-1 over 127.0.0.1; VC 1.1 membership + legal-entity credentials,");
        out.println("offers under a membership constraint");
        out.printf("per route and round: %d warm-up catalog requests and negotiations, then %d catalog requests and %d negotiations,%n",
                options.warmup(), options.catalogRequests(), options.negotiations());
        out.printf("one at a time, the routes taking turns; a negotiation's state is read every %d ms until FINALIZED%n", options.pollMillis());
    }

    private void round(long iterationWait, Path directory, PrintStream out, List<String> csv) throws IOException {
        out.printf("%nround: state machines idle %d ms between iterations, on Kakehashi and both stock connectors%n", iterationWait);
        var sourceDirectory = Files.createDirectories(directory.resolve("source"));
        Files.writeString(sourceDirectory.resolve(ASSET_ID + ".csv"), "machine,temperature\nlathe-1,41.5\n");
        var log = new PrintStream(Files.newOutputStream(directory.resolve("authority.log")), true, StandardCharsets.UTF_8);
        var stockProvider = new StockDcpParticipant("stock-provider", directory);
        var stockConsumer = new StockDcpParticipant("stock-consumer", directory);
        CompletableFuture<ConnectorProcess> kakehashiStart = null;
        ConnectorProcess kakehashi = null;
        try (var source = FileServer.serve(sourceDirectory);
             var authority = DataspaceAuthority.start(directory.resolve("authority"), "authority", log);
             stockProvider;
             stockConsumer) {
            var settings = new ConnectorSettings("kakehashi", directory.resolve("kakehashi"))
                    .with("edc.hostname", "127.0.0.1")
                    .stateMachineWait(iterationWait);
            DcpMembers.kakehashi(settings, "authority", authority, DATASPACE, new DcpMembers.LegalEntity("Kakehashi Machine Works", "JP", "JCN:1180301018771"));
            kakehashiStart = CompletableFuture.supplyAsync(() -> ConnectorKind.KAKEHASHI.start(settings, START_TIMEOUT));
            for (var stock : List.of(stockProvider, stockConsumer)) {
                stock.startIdentityHub(START_TIMEOUT);
                DcpMembers.stock(stock, directory, authority, DATASPACE, new DcpMembers.LegalEntity("Stock Anlagenbau GmbH", "DE", "LEI:5493001KJTIIGC8Y1R12"));
                stock.connectorSettings().stateMachineWait(iterationWait);
                stock.startConnector(authority.did(), START_TIMEOUT);
            }
            kakehashi = kakehashiStart.join();

            var assetUrl = source.urlOf(ASSET_ID + ".csv");
            for (var provider : List.of(kakehashi, stockProvider.connector())) {
                DataOffer.publish(provider.management(), ASSET_ID, assetUrl, DcpMembers.membersOnlyPolicy(provider.management(), DATASPACE));
            }
            var routes = List.of(
                    Route.between("Kakehashi consumer > stock provider", kakehashi, stockProvider.connector()),
                    Route.between("stock consumer > Kakehashi provider", stockConsumer.connector(), kakehashi),
                    Route.between("stock consumer > stock provider", stockConsumer.connector(), stockProvider.connector()));
            out.printf("  load average (1, 5, 15 min) before measuring: %s%n", LoadAverage.now());
            var round = new LatencyRound(routes, ASSET_ID, options).measure();
            out.printf("  load average (1, 5, 15 min) after measuring:  %s%n", LoadAverage.now());
            round.report(out, csv, iterationWait, BASELINE);
        } finally {
            if (kakehashi != null) {
                kakehashi.close();
            } else if (kakehashiStart != null) {
                kakehashiStart.thenAccept(ConnectorProcess::close);
            }
            log.close();
        }
    }
}
