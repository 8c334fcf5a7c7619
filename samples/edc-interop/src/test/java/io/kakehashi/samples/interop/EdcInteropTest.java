package io.kakehashi.samples.interop;

import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.FileServer;
import io.kakehashi.samples.support.HttpSink;
import io.kakehashi.samples.support.ManagementClient;
import io.kakehashi.samples.support.Sha256;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stock EDC 0.15.1 connector and a Kakehashi connector, each in its own JVM on loopback, publish, discover, negotiate
 * and push data to each other over DSP 2025-1. Both use EDC's mock identity (see {@link ConnectorKind}). The two
 * connectors start once for both directions.
 */
@DisplayName("Kakehashi and stock EDC 0.15.1 interoperate over DSP 2025-1")
@Tag("interop")
class EdcInteropTest {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration NEGOTIATION_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(60);
    private static final int ASSET_SIZE = 1024 * 1024;

    private static Path sourceDirectory;
    private static FileServer source;
    private static HttpSink sink;
    private static ConnectorProcess kakehashi;
    private static ConnectorProcess stockEdc;

    @BeforeAll
    static void startConnectors() throws IOException {
        var workDirectory = Files.createDirectories(Path.of(System.getProperty("kakehashi.interop.work-dir", "target/interop")));
        var run = Files.createTempDirectory(workDirectory, "interop-test-");
        sourceDirectory = Files.createDirectories(run.resolve("source"));
        source = FileServer.serve(sourceDirectory);
        sink = HttpSink.receiveInto(run.resolve("sink"));

        var kakehashiSettings = settings("kakehashi-connector", run);
        var stockEdcSettings = settings("stock-edc-connector", run);
        var kakehashiStart = CompletableFuture.supplyAsync(() -> ConnectorKind.KAKEHASHI_MOCK_IDENTITY.start(kakehashiSettings, START_TIMEOUT));
        var stockEdcStart = CompletableFuture.supplyAsync(() -> ConnectorKind.STOCK_EDC.start(stockEdcSettings, START_TIMEOUT));
        try {
            kakehashi = kakehashiStart.join();
            stockEdc = stockEdcStart.join();
        } catch (RuntimeException e) {
            kakehashiStart.thenAccept(ConnectorProcess::close);
            stockEdcStart.thenAccept(ConnectorProcess::close);
            throw e;
        }
    }

    @AfterAll
    static void stopConnectors() {
        for (var closeable : new AutoCloseable[]{kakehashi, stockEdc, source, sink}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // best effort: the other resources still need closing
                }
            }
        }
    }

    @Test
    @DisplayName("stock EDC consumer gets Kakehashi provider's catalog, negotiates an agreement and receives the pushed bytes unchanged")
    void kakehashiProvider_whenStockEdcConsumerNegotiatesAndTransfers_shouldReceiveIdenticalBytes() throws IOException {
        exchange(kakehashi, stockEdc, "kakehashi-machine-log", 1);
    }

    @Test
    @DisplayName("Kakehashi consumer gets stock EDC provider's catalog, negotiates an agreement and receives the pushed bytes unchanged")
    void stockEdcProvider_whenKakehashiConsumerNegotiatesAndTransfers_shouldReceiveIdenticalBytes() throws IOException {
        exchange(stockEdc, kakehashi, "stock-edc-machine-log", 2);
    }

    private static void exchange(ConnectorProcess provider, ConnectorProcess consumer, String assetId, long seed) throws IOException {
        var sourceFile = sourceDirectory.resolve(assetId + ".bin");
        Files.write(sourceFile, randomBytes(seed));
        var providerId = provider.settings().participantId();
        var providerAddress = provider.settings().dspAddress();
        DataOffer.publish(provider.management(), assetId, source.urlOf(sourceFile.getFileName().toString()));

        var buyer = consumer.management();
        var catalog = buyer.requestCatalog(providerAddress, providerId);
        var dataset = DataOffer.dataset(catalog, assetId);
        assertThat(dataset).as("dataset '%s' in the catalog of %s: %s", assetId, providerId, catalog).isPresent();

        var negotiationId = buyer.negotiate(providerAddress, ManagementClient.contractOffer(catalog, dataset.get()));
        var agreementId = buyer.awaitAgreement(negotiationId, NEGOTIATION_TIMEOUT).path("contractAgreementId").asText();
        assertThat(agreementId).isNotBlank();
        var agreement = buyer.get("/v3/contractagreements/" + agreementId);
        assertThat(agreement.path("assetId").asText()).isEqualTo(assetId);
        assertThat(agreement.path("providerId").asText()).isEqualTo(providerId);
        assertThat(agreement.path("consumerId").asText()).isEqualTo(consumer.settings().participantId());

        var received = "received-" + assetId + ".bin";
        var transferId = buyer.transferPush(providerAddress, providerId, agreementId, sink.urlFor(received));
        var transfer = buyer.awaitCompleted(transferId, TRANSFER_TIMEOUT);
        assertThat(transfer.path("state").asText()).isEqualTo("COMPLETED");

        var receivedFile = sink.await(received, TRANSFER_TIMEOUT);
        assertThat(Files.size(receivedFile)).isEqualTo(ASSET_SIZE);
        assertThat(Sha256.of(receivedFile)).isEqualTo(Sha256.of(sourceFile));
    }

    // EDC's state-machine defaults on both sides: with idle waits of a few milliseconds a peer's reply can overtake
    // the sender's own state update and EDC 0.15.1 answers it with 409 (see docs/benchmarks.md)
    private static ConnectorSettings settings(String participantId, Path run) {
        return new ConnectorSettings(participantId, run.resolve(participantId)).with("edc.hostname", "127.0.0.1");
    }

    private static byte[] randomBytes(long seed) {
        var bytes = new byte[ASSET_SIZE];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
