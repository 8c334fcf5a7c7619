package io.kakehashi.samples.interop.dcp;

import io.kakehashi.samples.interop.ConnectorKind;
import io.kakehashi.samples.interop.DataOffer;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.DataspaceAuthority;
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
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Kakehashi connector and a stock EDC 0.15.1 DCP participant (control plane + IdentityHub, {@link StockDcpParticipant})
 * with real identity on both sides, no {@code iam-mock} anywhere: both hold VC 1.1 credentials from one dataspace
 * authority made with the issuer tool and trust it. Each direction fetches the catalog, negotiates under a
 * membership-constrained policy and has about 1 MiB pushed (HttpData-PUSH), checked by SHA-256.
 */
@DisplayName("Kakehashi and a stock EDC 0.15.1 DCP participant with IdentityHub interoperate with real identity")
@Tag("interop")
class StockDcpInteropTest {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration NEGOTIATION_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(60);
    private static final int ASSET_SIZE = 1024 * 1024;
    private static final String DATASPACE = "interop-dataspace";

    private static Path sourceDirectory;
    private static FileServer source;
    private static HttpSink sink;
    private static DataspaceAuthority authority;
    private static StockDcpParticipant stock;
    private static ConnectorProcess kakehashi;

    @BeforeAll
    static void startParticipants() throws IOException {
        var workDirectory = Files.createDirectories(Path.of(System.getProperty("kakehashi.interop.work-dir", "target/interop")));
        var run = Files.createTempDirectory(workDirectory, "stock-dcp-test-");
        sourceDirectory = Files.createDirectories(run.resolve("source"));
        source = FileServer.serve(sourceDirectory);
        sink = HttpSink.receiveInto(run.resolve("sink"));
        authority = DataspaceAuthority.start(run.resolve("authority"), "authority", new PrintStream(Files.newOutputStream(run.resolve("authority.log")), true));

        var kakehashiSettings = new ConnectorSettings("kakehashi-connector", run.resolve("kakehashi-connector"))
                .with("edc.hostname", "127.0.0.1")
                .trustIssuer("authority", authority.did())
                .with("kakehashi.identity.dcp.credential-types", String.join(",", StockDcpParticipant.CREDENTIAL_TYPES));
        // stock EDC 0.15.1 verifies VC 1.1 JWT credentials only (README): both sides hold them
        authority.issueTo(kakehashiSettings.participantId(), kakehashiSettings.credentialsDirectory().resolve("membership.jwt"),
                "--type", "membership", "--dataspace", DATASPACE, "--format", "vc11");
        authority.issueTo(kakehashiSettings.participantId(), kakehashiSettings.credentialsDirectory().resolve("legal-entity.jwt"),
                "--type", "legal-entity", "--legal-name", "Kakehashi Machine Works", "--country", "JP", "--registry-id", "JCN:1180301018771",
                "--format", "vc11");
        var kakehashiStart = CompletableFuture.supplyAsync(() -> ConnectorKind.KAKEHASHI.start(kakehashiSettings, START_TIMEOUT));

        stock = new StockDcpParticipant("stock", run);
        try {
            stock.startIdentityHub(START_TIMEOUT);
            stock.storeCredential(authority.issueTo(stock.did(), run.resolve("stock-membership.jwt"),
                    "--type", "membership", "--dataspace", DATASPACE, "--format", "vc11"));
            stock.storeCredential(authority.issueTo(stock.did(), run.resolve("stock-legal-entity.jwt"),
                    "--type", "legal-entity", "--legal-name", "Stock Anlagenbau GmbH", "--country", "DE", "--registry-id", "LEI:5493001KJTIIGC8Y1R12",
                    "--format", "vc11"));
            stock.startConnector(authority.did(), START_TIMEOUT);
            kakehashi = kakehashiStart.join();
        } catch (RuntimeException e) {
            kakehashiStart.thenAccept(ConnectorProcess::close);
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        for (var closeable : new AutoCloseable[]{kakehashi, stock, authority, source, sink}) {
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
    @DisplayName("stock DCP consumer gets Kakehashi provider's catalog, negotiates under a membership constraint and receives the pushed bytes")
    void kakehashiProvider_whenStockDcpConsumerNegotiatesAndTransfers_shouldReceiveIdenticalBytes() throws IOException {
        var policy = kakehashi.management().createPolicy("members-only",
                ManagementClient.constraint("https://w3id.org/kakehashi/policy/membership", "eq", DATASPACE));
        exchange(kakehashi, stock.connector(), "kakehashi-machine-log", policy, 1);
    }

    @Test
    @DisplayName("Kakehashi consumer gets stock DCP provider's catalog, negotiates under a membership constraint and receives the pushed bytes")
    void stockDcpProvider_whenKakehashiConsumerNegotiatesAndTransfers_shouldReceiveIdenticalBytes() throws IOException {
        var policy = stock.connector().management().createPolicy("members-only",
                ManagementClient.constraint("https://w3id.org/kakehashi/policy/membership", "eq", DATASPACE));
        exchange(stock.connector(), kakehashi, "stock-machine-log", policy, 2);
    }

    private static void exchange(ConnectorProcess provider, ConnectorProcess consumer, String assetId, String contractPolicyId, long seed) throws IOException {
        var sourceFile = sourceDirectory.resolve(assetId + ".bin");
        Files.write(sourceFile, randomBytes(seed));
        var providerId = provider.settings().participantId();
        var providerAddress = provider.settings().dspAddress();
        DataOffer.publish(provider.management(), assetId, source.urlOf(sourceFile.getFileName().toString()), contractPolicyId);

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
        assertThat(buyer.awaitCompleted(transferId, TRANSFER_TIMEOUT).path("state").asText()).isEqualTo("COMPLETED");
        var receivedFile = sink.await(received, TRANSFER_TIMEOUT);
        assertThat(Files.size(receivedFile)).isEqualTo(ASSET_SIZE);
        assertThat(Sha256.of(receivedFile)).isEqualTo(Sha256.of(sourceFile));
    }

    private static byte[] randomBytes(long seed) {
        var bytes = new byte[ASSET_SIZE];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
