package io.kakehashi.samples.interop.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.samples.interop.DataOffer;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.ManagementClient;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    /** How long a negotiation may go unreported before its state is read once: far above any negotiation's time. */
    private static final Duration UNREPORTED_CHECK = Duration.ofSeconds(5);
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
     * Negotiates {@code offer} once and adds the time from the request to the consumer's report that the negotiation
     * is FINALIZED ({@link NegotiationCallbacks}), or the reason it failed, to {@code samples}. Nothing asks the
     * consumer for the state meanwhile.
     */
    void negotiate(ObjectNode offer, LatencySamples samples, NegotiationCallbacks callbacks) {
        var start = System.nanoTime();
        var id = consumer.post("/v3/contractnegotiations", contractRequest(offer, callbacks.uri())).path("@id").asText();
        var deadline = start + NEGOTIATION_TIMEOUT.toNanos();
        try {
            while (true) {
                try {
                    var end = callbacks.end(id).get(UNREPORTED_CHECK.toNanos(), TimeUnit.NANOSECONDS);
                    if (NegotiationCallbacks.FINALIZED.equals(end)) {
                        samples.add(System.nanoTime() - start);
                    } else {
                        samples.fail(reason(consumer.get("/v3/contractnegotiations/" + id).path("errorDetail").asText("")));
                    }
                    return;
                } catch (TimeoutException e) {
                    // a callback that never comes must not hold the run for the whole timeout: the state tells
                    var state = consumer.get("/v3/contractnegotiations/" + id + "/state").path("state").asText();
                    if ("FINALIZED".equals(state) || "TERMINATED".equals(state)) {
                        samples.fail("%s but not reported by the consumer's callback within %s".formatted(state, UNREPORTED_CHECK));
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        samples.fail("not FINALIZED within " + NEGOTIATION_TIMEOUT);
                        return;
                    }
                }
            }
        } catch (ExecutionException e) {
            samples.fail(failureReason("error: " + e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while negotiating", e);
        } finally {
            callbacks.forget(id);
        }
    }

    /** The management API's contract request for {@code offer}, whose negotiation events are posted to {@code callbackUri}. */
    private ObjectNode contractRequest(ObjectNode offer, String callbackUri) {
        var body = JsonNodeFactory.instance.objectNode();
        body.putArray("@context").add(ManagementClient.MANAGEMENT_CONTEXT);
        body.put("@type", "ContractRequest")
                .put("counterPartyAddress", providerAddress)
                .put("protocol", ConnectorSettings.DSP_2025_PROTOCOL);
        body.set("policy", offer);
        var callback = body.putArray("callbackAddresses").addObject();
        callback.put("transactional", false).put("uri", callbackUri);
        callback.putArray("events").add("contract.negotiation");
        return body;
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
