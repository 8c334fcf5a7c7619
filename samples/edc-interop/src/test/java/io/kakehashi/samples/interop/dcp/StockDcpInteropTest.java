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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * A Kakehashi connector and a stock EDC 0.15.1 DCP participant (control plane + IdentityHub, {@link StockDcpParticipant})
 * with real identity on both sides, no {@code iam-mock} anywhere: both hold VC 1.1 credentials from one dataspace
 * authority made with the issuer tool and trust it ({@link DcpMembers}). Each direction fetches the catalog, negotiates
 * under a membership-constrained policy and has about 1 MiB pushed (HttpData-PUSH), checked by SHA-256, and negotiates
 * an offer under an open policy.
 */
@DisplayName("Kakehashi and a stock EDC 0.15.1 DCP participant with IdentityHub interoperate with real identity")
@Tag("interop")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StockDcpInteropTest {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration NEGOTIATION_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(60);
    private static final int ASSET_SIZE = 1024 * 1024;
    private static final String DATASPACE = "interop-dataspace";
    private static final String JURISDICTION = "https://w3id.org/kakehashi/policy/consumerJurisdiction";

    private static Path sourceDirectory;
    private static FileServer source;
    private static HttpSink sink;
    private static DataspaceAuthority authority;
    private static StockDcpParticipant stock;
    private static ConnectorProcess kakehashi;
    private static Path stockMembership;
    private static DataspaceAuthority rogueAuthority;
    private static ConnectorProcess outsider;
    private static Path kakehashiMembership;

    @BeforeAll
    static void startParticipants() throws IOException {
        var workDirectory = Files.createDirectories(Path.of(System.getProperty("kakehashi.interop.work-dir", "target/interop")));
        var run = Files.createTempDirectory(workDirectory, "stock-dcp-test-");
        sourceDirectory = Files.createDirectories(run.resolve("source"));
        source = FileServer.serve(sourceDirectory);
        sink = HttpSink.receiveInto(run.resolve("sink"));
        authority = DataspaceAuthority.start(run.resolve("authority"), "authority", new PrintStream(Files.newOutputStream(run.resolve("authority.log")), true));

        var kakehashiSettings = new ConnectorSettings("kakehashi-connector", run.resolve("kakehashi-connector")).with("edc.hostname", "127.0.0.1");
        // stock EDC 0.15.1 verifies VC 1.1 JWT credentials only (README): both sides hold them
        kakehashiMembership = DcpMembers.kakehashi(kakehashiSettings, "authority", authority, DATASPACE,
                new DcpMembers.LegalEntity("Kakehashi Machine Works", "JP", "JCN:1180301018771"));
        var kakehashiStart = CompletableFuture.supplyAsync(() -> ConnectorKind.KAKEHASHI.start(kakehashiSettings, START_TIMEOUT));

        // an outsider: a Kakehashi connector whose credentials come from an authority nobody else trusts, and which
        // trusts only that authority
        rogueAuthority = DataspaceAuthority.start(run.resolve("rogue-authority"), "rogue", new PrintStream(Files.newOutputStream(run.resolve("rogue-authority.log")), true));
        var outsiderSettings = new ConnectorSettings("kakehashi-outsider", run.resolve("kakehashi-outsider")).with("edc.hostname", "127.0.0.1");
        DcpMembers.kakehashi(outsiderSettings, "rogue", rogueAuthority, DATASPACE, new DcpMembers.LegalEntity("Outsider KK", "JP", "JCN:7010401012347"));
        var outsiderStart = CompletableFuture.supplyAsync(() -> ConnectorKind.KAKEHASHI.start(outsiderSettings, START_TIMEOUT));

        stock = new StockDcpParticipant("stock", run);
        try {
            stock.startIdentityHub(START_TIMEOUT);
            stockMembership = DcpMembers.stock(stock, run, authority, DATASPACE,
                    new DcpMembers.LegalEntity("Stock Anlagenbau GmbH", "DE", "LEI:5493001KJTIIGC8Y1R12"));
            stock.startConnector(authority.did(), START_TIMEOUT);
            kakehashi = kakehashiStart.join();
            outsider = outsiderStart.join();
        } catch (RuntimeException e) {
            kakehashiStart.thenAccept(ConnectorProcess::close);
            outsiderStart.thenAccept(ConnectorProcess::close);
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        for (var closeable : new AutoCloseable[]{kakehashi, outsider, stock, authority, rogueAuthority, source, sink}) {
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
        exchange(kakehashi, stock.connector(), "kakehashi-machine-log", DcpMembers.membersOnlyPolicy(kakehashi.management(), DATASPACE), 1);
    }

    @Test
    @DisplayName("Kakehashi consumer gets stock DCP provider's catalog, negotiates under a membership constraint and receives the pushed bytes")
    void stockDcpProvider_whenKakehashiConsumerNegotiatesAndTransfers_shouldReceiveIdenticalBytes() throws IOException {
        exchange(stock.connector(), kakehashi, "stock-machine-log", DcpMembers.membersOnlyPolicy(stock.connector().management(), DATASPACE), 2);
    }

    @Test
    @DisplayName("an offer under an open policy (no constraint) is negotiated both ways: the agreement names the asset, the provider and the consumer")
    void openOffer_whenNegotiatedBothWays_shouldAgreeOnTheAsset() {
        var kakehashiOffer = DataOffer.publish(kakehashi.management(), "kakehashi-open-log", source.urlOf("unused-open.bin"));
        negotiate(kakehashi, stock.connector(), kakehashiOffer.assetId());
        var stockOffer = DataOffer.publish(stock.connector().management(), "stock-open-log", source.urlOf("unused-open.bin"));
        negotiate(stock.connector(), kakehashi, stockOffer.assetId());
    }

    @Test
    @DisplayName("Kakehashi provider decides consumerJurisdiction from the stock participant's legal-entity credential (DE): an EU offer is negotiated, a Japan-only one is not offered")
    void kakehashiProvider_whenJurisdictionConstrained_shouldDecideFromStockLegalEntityCredential() {
        var provider = kakehashi.management();
        var eu = provider.createPolicy("eu-only", ManagementClient.constraint(JURISDICTION, "isAnyOf", List.of("DE", "FR", "NL")));
        var japan = provider.createPolicy("japan-only", ManagementClient.constraint(JURISDICTION, "isAnyOf", List.of("JP")));
        DataOffer.publish(provider, "eu-machine-log", source.urlOf("unused-eu.bin"), eu);
        DataOffer.publish(provider, "japan-machine-log", source.urlOf("unused-japan.bin"), japan);

        var catalog = stock.connector().management().requestCatalog(kakehashi.settings().dspAddress(), kakehashi.settings().participantId());
        assertThat(DataOffer.dataset(catalog, "japan-machine-log")).as("a Japan-only offer to a German consumer: %s", catalog).isEmpty();
        // an EU offer to a German consumer: in the catalog and negotiated
        negotiate(kakehashi, stock.connector(), "eu-machine-log");
    }

    @Test
    @DisplayName("credentials from an untrusted issuer are refused on both sides: neither the stock participant nor a Kakehashi outsider serves the other its catalog")
    void untrustedIssuer_shouldBeRefusedOnBothSides() {
        var outsiderAddress = outsider.settings().dspAddress();
        // the stock verifier refuses the outsider's credentials (issuer not in edc.iam.trusted-issuer.*)
        assertThatCode(() -> outsider.management().requestCatalog(stock.connector().settings().dspAddress(), stock.did()))
                .isInstanceOf(ManagementClient.ManagementApiException.class).hasMessageContaining("401");
        // the outsider's verifier refuses the stock participant's credentials (issuer not in its trusted issuers)
        assertThatCode(() -> stock.connector().management().requestCatalog(outsiderAddress, outsider.settings().participantId()))
                .isInstanceOf(ManagementClient.ManagementApiException.class).hasMessageContaining("401");
        // and each is served by a peer that trusts its authority
        assertThatCode(() -> kakehashi.management().requestCatalog(stock.connector().settings().dspAddress(), stock.did()))
                .doesNotThrowAnyException();
    }

    /** Last: it revokes both memberships, which every other test needs. */
    @Test
    @Order(Integer.MAX_VALUE)
    @DisplayName("a revoked membership is refused on both sides: neither catalog is served to a peer whose membership the authority revoked")
    void revokedMembership_shouldBeRefusedOnBothSides() {
        // both sides served each other before the revocation
        stock.connector().management().requestCatalog(kakehashi.settings().dspAddress(), kakehashi.settings().participantId());
        kakehashi.management().requestCatalog(stock.connector().settings().dspAddress(), stock.did());

        authority.revoke(stockMembership);
        authority.revoke(kakehashiMembership);

        // Kakehashi's status-list cache is 1 s here, the stock connector's revocation cache 1 s (StockDcpParticipant)
        assertRefusedWithin(() -> stock.connector().management().requestCatalog(kakehashi.settings().dspAddress(), kakehashi.settings().participantId()));
        assertRefusedWithin(() -> kakehashi.management().requestCatalog(stock.connector().settings().dspAddress(), stock.did()));
    }

    /** Polls until the peer refuses the catalog request (the caches' bound is a few seconds), for at most 30 s. */
    private static void assertRefusedWithin(Runnable catalogRequest) {
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                catalogRequest.run();
            } catch (ManagementClient.ManagementApiException e) {
                assertThat(e.getMessage()).contains("401");
                return;
            }
            assertThat(System.nanoTime()).as("catalog still served 30 s after the revocation").isLessThan(deadline);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static void exchange(ConnectorProcess provider, ConnectorProcess consumer, String assetId, String contractPolicyId, long seed) throws IOException {
        var sourceFile = sourceDirectory.resolve(assetId + ".bin");
        Files.write(sourceFile, randomBytes(seed));
        DataOffer.publish(provider.management(), assetId, source.urlOf(sourceFile.getFileName().toString()), contractPolicyId);
        var agreementId = negotiate(provider, consumer, assetId);

        var buyer = consumer.management();
        var received = "received-" + assetId + ".bin";
        var transferId = buyer.transferPush(provider.settings().dspAddress(), provider.settings().participantId(), agreementId, sink.urlFor(received));
        assertThat(buyer.awaitCompleted(transferId, TRANSFER_TIMEOUT).path("state").asText()).isEqualTo("COMPLETED");
        var receivedFile = sink.await(received, TRANSFER_TIMEOUT);
        assertThat(Files.size(receivedFile)).isEqualTo(ASSET_SIZE);
        assertThat(Sha256.of(receivedFile)).isEqualTo(Sha256.of(sourceFile));
    }

    /**
     * The consumer finds {@code assetId} in the provider's catalog and negotiates it to an agreement that names the
     * asset, the provider and the consumer.
     *
     * @return the agreement's id
     */
    private static String negotiate(ConnectorProcess provider, ConnectorProcess consumer, String assetId) {
        var providerId = provider.settings().participantId();
        var providerAddress = provider.settings().dspAddress();
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
        return agreementId;
    }

    private static byte[] randomBytes(long seed) {
        var bytes = new byte[ASSET_SIZE];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
