package io.kakehashi.samples.interop.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.samples.interop.DataOffer;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ManagementClient;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One consumer and the provider it asks, as the latency benchmarks drive them: through the consumer's management API,
 * over DSP 2025-1 to the provider.
 * <p>
 * Immutable; thread-safe as its management client is.
 *
 * @param name            how the benchmark's printout and samples name it
 * @param consumer        the consumer's management API
 * @param providerAddress the provider's DSP 2025-1 address
 * @param providerId      the provider's participant id
 */
record Route(String name, ManagementClient consumer, String providerAddress, String providerId) {

    static final Duration NEGOTIATION_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int MAX_REASON_LENGTH = 300;

    static Route between(String name, ConnectorProcess consumer, ConnectorProcess provider) {
        return new Route(name, consumer.management(), provider.settings().dspAddress(), provider.settings().participantId());
    }

    /** The provider's offer of {@code assetId} as the consumer sees it in the catalog it fetches, ready to negotiate. */
    ObjectNode fetchOffer(String assetId) {
        var catalog = consumer.requestCatalog(providerAddress, providerId);
        var dataset = DataOffer.dataset(catalog, assetId)
                .orElseThrow(() -> new IllegalStateException("no dataset %s in the catalog of %s: %s".formatted(assetId, providerId, catalog)));
        return ManagementClient.contractOffer(catalog, dataset);
    }

    /** Fetches the provider's catalog once and answers how long it took, in nanoseconds. */
    long catalogRequest() {
        var start = System.nanoTime();
        consumer.requestCatalog(providerAddress, providerId);
        return System.nanoTime() - start;
    }

    /**
     * Negotiates {@code offer} once and adds the time from the request to the consumer seeing FINALIZED (its state read
     * every {@code pollMillis}), or the reason it failed, to {@code samples}.
     */
    void negotiate(ObjectNode offer, LatencySamples samples, long pollMillis) {
        var start = System.nanoTime();
        var id = consumer.negotiate(providerAddress, offer);
        var deadline = start + NEGOTIATION_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            var state = consumer.get("/v3/contractnegotiations/" + id + "/state").path("state").asText();
            if ("FINALIZED".equals(state)) {
                samples.add(System.nanoTime() - start);
                return;
            }
            if ("TERMINATED".equals(state)) {
                samples.fail(reason(consumer.get("/v3/contractnegotiations/" + id).path("errorDetail").asText("")));
                return;
            }
            ConnectorProcess.sleep(pollMillis);
        }
        samples.fail("not FINALIZED within " + NEGOTIATION_TIMEOUT);
    }

    /**
     * Negotiates as {@link #negotiate} does, and counts an error of the consumer's management API (a refused request,
     * a timeout) as a failed negotiation instead of throwing it: under concurrent load such an error is a result.
     */
    void negotiateCountingErrors(ObjectNode offer, LatencySamples samples, long pollMillis) {
        try {
            negotiate(offer, samples, pollMillis);
        } catch (RuntimeException e) {
            samples.fail(failureReason("error: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    // one line per kind of failure: ids differ from one negotiation to the next
    private static String reason(String errorDetail) {
        if (errorDetail.isBlank()) {
            return "TERMINATED by the provider, no detail on the consumer's side (the provider's log has the cause)";
        }
        return failureReason("TERMINATED: " + errorDetail);
    }

    /** {@code reason} as one line per kind of failure: ids masked, at most 300 characters. */
    static String failureReason(String reason) {
        var masked = UUID.matcher(reason).replaceAll("<id>");
        return masked.length() > MAX_REASON_LENGTH ? masked.substring(0, MAX_REASON_LENGTH) + "…" : masked;
    }
}
