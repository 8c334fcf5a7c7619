package io.kakehashi.samples.interop.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * One round of a latency benchmark over several {@link Route}s: unmeasured warm-up catalog requests and negotiations
 * on each route, then measured catalog requests, then measured negotiations, one at a time, the routes taking turns
 * (rotating who goes first) so that the machine's noise falls on all of them. A negotiation that fails is counted and
 * replaced, up to as many again as asked for.
 * <p>
 * Not thread-safe.
 */
final class LatencyRound {

    private final List<Route> routes;
    private final List<ObjectNode> offers;
    private final BenchmarkOptions options;
    private final List<LatencySamples> warmup = new ArrayList<>();
    private final List<LatencySamples> catalogs = new ArrayList<>();
    private final List<LatencySamples> negotiations = new ArrayList<>();

    /**
     * @param routes the routes, each with the offer of {@code assetId} its consumer negotiates (fetched here)
     */
    LatencyRound(List<Route> routes, String assetId, BenchmarkOptions options) {
        this.routes = List.copyOf(routes);
        this.offers = routes.stream().map(route -> route.fetchOffer(assetId)).toList();
        this.options = options;
        for (var ignored : routes) {
            warmup.add(new LatencySamples());
            catalogs.add(new LatencySamples());
            negotiations.add(new LatencySamples());
        }
    }

    /** Warms up and measures; call once. */
    LatencyRound measure() {
        for (var i = 0; i < options.warmup(); i++) {
            for (var r = 0; r < routes.size(); r++) {
                routes.get(r).catalogRequest();
                routes.get(r).negotiate(offers.get(r), warmup.get(r), options.pollMillis());
            }
        }
        for (var i = 0; i < options.catalogRequests(); i++) {
            for (var r : turns(i)) {
                catalogs.get(r).add(routes.get(r).catalogRequest());
            }
        }
        for (var i = 0; negotiations.stream().anyMatch(this::wantsMore); i++) {
            for (var r : turns(i)) {
                if (wantsMore(negotiations.get(r))) {
                    routes.get(r).negotiate(offers.get(r), negotiations.get(r), options.pollMillis());
                }
            }
        }
        return this;
    }

    /**
     * Prints p50 and p95 of each route, each route's median over the {@code baseline} route's, and the failed
     * negotiations; adds every sample to {@code csv} ({@code iteration_wait_ms,pair,operation,sample,millis}).
     */
    void report(PrintStream out, List<String> csv, long iterationWait, int baseline) {
        var width = Math.max(22, routes.stream().mapToInt(route -> route.name().length()).max().orElse(0) + 12);
        var row = "  %-" + width + "s %10s %10s %14s %10s%n";
        out.printf(row, "latency (ms)", "catalog", "catalog", "negotiation", "negotiation");
        out.printf(row, "", "p50", "p95", "p50", "p95");
        for (var r = 0; r < routes.size(); r++) {
            var name = routes.get(r).name();
            out.printf(Locale.ROOT, row, name + " (n=" + catalogs.get(r).count() + "/" + negotiations.get(r).count() + ")",
                    catalogs.get(r).formatted(50), catalogs.get(r).formatted(95), negotiations.get(r).formatted(50), negotiations.get(r).formatted(95));
            record(csv, iterationWait, name, "catalog", catalogs.get(r));
            record(csv, iterationWait, name, "negotiation", negotiations.get(r));
        }
        var baseName = routes.get(baseline).name();
        for (var r = 0; r < routes.size(); r++) {
            if (r != baseline) {
                out.printf(Locale.ROOT, "  p50 ratio %s / %s: catalog %s, negotiation %s%n", routes.get(r).name(), baseName,
                        catalogs.get(r).medianRatio(catalogs.get(baseline)), negotiations.get(r).medianRatio(negotiations.get(baseline)));
            }
        }
        for (var r = 0; r < routes.size(); r++) {
            var failed = new TreeMap<String, Integer>(warmup.get(r).failures());
            negotiations.get(r).failures().forEach((reason, count) -> failed.merge(reason, count, Integer::sum));
            var name = routes.get(r).name();
            failed.forEach((reason, count) -> out.printf("  %s: %d negotiation(s) failed (warm-up included, not in the figures): %s%n", name, count, reason));
        }
    }

    private boolean wantsMore(LatencySamples samples) {
        return samples.count() < options.negotiations() && samples.count() + samples.failureCount() < 2 * options.negotiations();
    }

    // rotate who goes first, so that no route always runs right after another's work
    private List<Integer> turns(int i) {
        var order = new ArrayList<Integer>();
        for (var k = 0; k < routes.size(); k++) {
            order.add((i + k) % routes.size());
        }
        return order;
    }

    /** Adds every sample to {@code csv} as {@code iteration_wait_ms,pair,operation,sample,millis}. */
    static void record(List<String> csv, long iterationWait, String route, String operation, LatencySamples samples) {
        var values = samples.values();
        for (var i = 0; i < values.size(); i++) {
            csv.add(String.format(Locale.ROOT, "%d,%s,%s,%d,%.3f", iterationWait, route, operation, i, values.get(i)));
        }
    }
}
