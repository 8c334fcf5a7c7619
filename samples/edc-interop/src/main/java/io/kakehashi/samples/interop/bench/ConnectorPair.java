package io.kakehashi.samples.interop.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.samples.interop.ConnectorKind;
import io.kakehashi.samples.interop.DataOffer;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.DataspaceAuthority;
import io.kakehashi.samples.support.ManagementClient;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A provider and a consumer of one {@link ConnectorKind}, each in its own JVM, with one open offer on the provider.
 * Two Kakehashi connectors with their real identity trust each other through a dataspace authority that issues
 * each a membership credential.
 * <p>
 * Not thread-safe.
 */
final class ConnectorPair implements AutoCloseable {

    static final String ASSET_ID = "benchmark-asset";

    private final ConnectorKind kind;
    private final ConnectorProcess provider;
    private final ConnectorProcess consumer;
    private final DataspaceAuthority authority;

    private ConnectorPair(ConnectorKind kind, ConnectorProcess provider, ConnectorProcess consumer, DataspaceAuthority authority) {
        this.kind = kind;
        this.provider = provider;
        this.consumer = consumer;
        this.authority = authority;
    }

    /**
     * Starts both connectors of {@code kind} side by side under {@code directory}, makes them trust each other when
     * they use Kakehashi's identity, and publishes an open offer of an asset served from {@code sourceUrl}.
     */
    static ConnectorPair start(ConnectorKind kind, String name, Path directory, long iterationWaitMillis,
                               String sourceUrl, Duration timeout) {
        return start(kind, name, directory, iterationWaitMillis, sourceUrl, timeout, java.util.List.of());
    }

    /** The same, with options added to both connectors' JVM command lines (a trust store, say). */
    static ConnectorPair start(ConnectorKind kind, String name, Path directory, long iterationWaitMillis,
                               String sourceUrl, Duration timeout, java.util.List<String> jvmOptions) {
        var providerSettings = settings(name + "-provider", directory, iterationWaitMillis);
        var consumerSettings = settings(name + "-consumer", directory, iterationWaitMillis);
        jvmOptions.forEach(option -> {
            providerSettings.jvmOption(option);
            consumerSettings.jvmOption(option);
        });
        var authority = kind == ConnectorKind.KAKEHASHI ? trustedAuthority(name, directory, providerSettings, consumerSettings) : null;
        var providerStart = CompletableFuture.supplyAsync(() -> kind.start(providerSettings, timeout));
        var consumerStart = CompletableFuture.supplyAsync(() -> kind.start(consumerSettings, timeout));
        ConnectorPair pair = null;
        try {
            pair = new ConnectorPair(kind, providerStart.join(), consumerStart.join(), authority);
            DataOffer.publish(pair.provider.management(), ASSET_ID, sourceUrl);
            return pair;
        } catch (RuntimeException e) {
            if (pair != null) {
                pair.close();
            } else {
                providerStart.thenAccept(ConnectorProcess::close);
                consumerStart.thenAccept(ConnectorProcess::close);
                if (authority != null) {
                    authority.close();
                }
            }
            throw e;
        }
    }

    ConnectorKind kind() {
        return kind;
    }

    ConnectorProcess provider() {
        return provider;
    }

    ConnectorProcess consumer() {
        return consumer;
    }

    ManagementClient consumerManagement() {
        return consumer.management();
    }

    String providerId() {
        return provider.settings().participantId();
    }

    String providerAddress() {
        return provider.settings().dspAddress();
    }

    @Override
    public void close() {
        try {
            consumer.close();
        } finally {
            provider.close();
            if (authority != null) {
                authority.close();
            }
        }
    }

    private static ConnectorSettings settings(String participantId, Path directory, long iterationWaitMillis) {
        // the connector's own status-list cache (5 min), not the samples' 1 s: the presentation cache is bounded by it, and
        // at 1 s every negotiation's first request of each side asked the peer for a presentation again
        return new ConnectorSettings(participantId, directory.resolve(participantId))
                .with("edc.hostname", "127.0.0.1")
                .without("kakehashi.identity.status-list.cache")
                .stateMachineWait(iterationWaitMillis);
    }

    /** An authority both connectors trust, which issues each a membership. */
    private static DataspaceAuthority trustedAuthority(String name, Path directory, ConnectorSettings... members) {
        var authority = DataspaceAuthority.start(directory.resolve(name + "-authority"), "authority", new PrintStream(OutputStream.nullOutputStream()));
        for (var member : members) {
            member.trustIssuer("benchmark", authority.did());
            authority.issueMembership(member, "benchmark-dataspace");
        }
        return authority;
    }

    /** The consumer and the provider as a benchmark's route named {@code name}. */
    Route route(String name) {
        return Route.between(name, consumer, provider);
    }

    /** The provider's offer as the consumer sees it in the catalog it fetches over DSP 2025-1, ready to negotiate. */
    ObjectNode fetchOffer() {
        return route(kind.name()).fetchOffer(ASSET_ID);
    }

    /**
     * Negotiates the provider's open offer and answers the agreement's id; again, up to three attempts, when a
     * negotiation fails (EDC's state machines at short waits can terminate one, see docs/benchmarks.md).
     */
    String agree() {
        RuntimeException last = null;
        for (var attempt = 0; attempt < 3; attempt++) {
            try {
                var id = consumerManagement().negotiate(providerAddress(), fetchOffer());
                return consumerManagement().awaitAgreement(id, Route.NEGOTIATION_TIMEOUT).path("contractAgreementId").asText();
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw last;
    }
}
