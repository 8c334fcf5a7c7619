package io.kakehashi.samples.multihost;

import io.kakehashi.samples.machinetool.MachineToolDataspace;
import io.kakehashi.samples.support.Sha256;
import io.kakehashi.samples.support.WorkDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.kakehashi.samples.machinetool.MachineToolDataspace.CONSUMER_NAME;
import static io.kakehashi.samples.machinetool.MachineToolDataspace.PLANT_NAME;
import static io.kakehashi.samples.machinetool.MachineToolDataspace.PROVIDER_NAME;
import static io.kakehashi.samples.machinetool.MachineToolDataspace.SG_NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The machine-tool sample's four companies, each on its own network host, with the dataspace authority on a fifth:
 * the Japanese machine-tool maker ({@code maker.jp.test}, Nagoya), the German plant operator ({@code plant.de.test},
 * Ludwigshafen), the Singapore contract manufacturer ({@code works.sg.test}) and the AI vendor
 * ({@code vendor.jp.test}, Tokyo). {@link MachineToolDataspace} runs its steps as the sample does, only every
 * connector is on its host with HTTPS on every context and did:web by host name (see {@link DataspaceNetwork}). The
 * connectors start once for the class; the tests run the scenario's steps in order: catalog, negotiation and gRPC
 * pull; the live stream; compute and federated rounds; the audit. Skipped, with the reason, where namespaces cannot
 * be made.
 */
@Tag("EndToEndTest")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MachineToolDataspaceAcrossHostsTest {

    private static final String AUTHORITY_HOST = "authority.connected-industries.test";
    /** Each company's host, by its connector's name. */
    private static final Map<String, String> HOSTS = Map.of(PROVIDER_NAME, "maker.jp.test", PLANT_NAME, "plant.de.test",
            SG_NAME, "works.sg.test", CONSUMER_NAME, "vendor.jp.test");
    /** Fewer rounds than the sample's 10, to keep the test short; the model is compared with as many central epochs. */
    private static final int ROUNDS = 3;

    private final Path workDir = Path.of("target", "multi-host").toAbsolutePath().resolve("machine-tool");
    private final Path hostsFile = Path.of(System.getProperty("kakehashi.multihost.hosts-file", "target/multi-host/hosts")).toAbsolutePath();

    private DataspaceNetwork network;
    private MachineToolDataspace dataspace;
    private Path source;

    @BeforeAll
    void startDataspace() throws Exception {
        var reason = NetworkHosts.unavailableBecause();
        assumeTrue(reason == null, () -> "skipped: " + reason);
        WorkDirectory.clear(workDir);
        network = new DataspaceNetwork(workDir, hostsFile, "Connected Industries Test Dataspace CA", List.of(AUTHORITY_HOST,
                HOSTS.get(PROVIDER_NAME), HOSTS.get(PLANT_NAME), HOSTS.get(SG_NAME), HOSTS.get(CONSUMER_NAME)));
        try {
            dataspace = new MachineToolDataspace(workDir, System.out,
                    directory -> network.authority(AUTHORITY_HOST, directory, "authority", System.out),
                    (name, settings) -> network.connector(HOSTS.get(name), settings),
                    // the maker's backend on its private network: the bridge's address, which only the hosts reach
                    InetAddress.getByName(network.gatewayAddress()));
            source = dataspace.generateData(20_000);
            dataspace.startConnectors();
        } catch (Exception | Error e) {
            stopDataspace();
            throw e;
        }
    }

    @AfterAll
    void stopDataspace() {
        try {
            if (dataspace != null) {
                dataspace.close();
            }
        } finally {
            if (network != null) {
                network.close();
            }
        }
    }

    @Test
    @Order(1)
    void everyCompany_shouldBeOnItsOwnHostOverHttps() {
        for (var settings : List.of(dataspace.providerSettings(), dataspace.plantSettings(), dataspace.sgSettings(), dataspace.consumerSettings())) {
            var host = HOSTS.get(settings.name());
            assertThat(settings.did()).startsWith("did:web:" + host + "%3A");
            assertThat(settings.dspAddress()).startsWith("https://" + host + ":");
            assertThat(settings.auditorUrl()).startsWith("https://" + host + ":");
            assertThat(settings.properties()).doesNotContainKey("kakehashi.identity.did.http-loopback");
        }
        assertThat(dataspace.authority().did()).startsWith("did:web:" + AUTHORITY_HOST + "%3A");
        assertThat(dataspace.provider().logTail(400)).contains("web contexts serve HTTPS");
        assertThat(dataspace.consumer().logTail(400)).contains("web contexts serve HTTPS");
    }

    @Test
    @Order(2)
    void catalogNegotiationAndGrpcPull_acrossHosts_shouldDeliverByteExact() {
        dataspace.publish(source);
        dataspace.publishInspectionRecords();

        var found = dataspace.findAcrossPeers();
        var agreementId = dataspace.negotiate(dataspace.discover());
        var delivery = dataspace.transferGrpc(agreementId, "delivery-1.csv");

        assertThat(found.datasetsPerPeer()).containsKeys(PROVIDER_NAME, PLANT_NAME);
        assertThat(found.makerTitleJa()).startsWith("工作機械稼働データ");
        assertThat(Sha256.of(delivery.file())).isEqualTo(Sha256.of(source));
    }

    @Test
    @Order(3)
    void liveStream_acrossHosts_shouldLoseNothingThroughSuspension() {
        var telemetry = dataspace.streamTelemetry("use-machine-data");

        assertThat(telemetry.duringSuspension()).as("records during the suspension").isZero();
        assertThat(telemetry.afterEnd()).as("records after the end").isZero();
        assertThat(telemetry.sequenceErrors()).as("records lost, twice or out of order").isZero();
        assertThat(telemetry.atEnd()).isGreaterThan(telemetry.atSuspend());
    }

    @Test
    @Order(4)
    void computeAndFederatedRounds_acrossHosts_shouldReturnOnlyAggregatesAndWeights() {
        dataspace.publishHealthRecords();
        var agreements = dataspace.negotiateHealthRecords();

        var analysis = dataspace.analyseAtTheMaker(agreements.get(PROVIDER_NAME));
        var refusal = dataspace.askForRawRows(agreements.get(PROVIDER_NAME));
        var training = dataspace.trainAcrossHolders(agreements, ROUNDS);

        assertThat(agreements).containsOnlyKeys(PROVIDER_NAME, PLANT_NAME, SG_NAME);
        assertThat(analysis.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(refusal).isNotBlank();
        assertThat(training.rounds()).isEqualTo(ROUNDS);
        assertThat(training.federatedAccuracy()).isCloseTo(training.centralAccuracy(), within(0.02));
    }

    @Test
    @Order(5)
    void audit_ofTheMakersConnector_shouldShowTheDecisionsAndAnIntactChain() {
        var audit = dataspace.audit();

        // the bulk offer, the live stream and the machine-health records
        assertThat(audit.negotiationDecisions()).isEqualTo(3);
        assertThat(audit.agreements()).as("each granted request's agreement, the maker's own decision").isEqualTo(3);
        // each job and the release of its result: the analysis, the raw rows (refused) and one job a round
        assertThat(audit.computeDecisions()).isEqualTo(2 * (2 + ROUNDS));
        assertThat(audit.computeRefusals()).isEqualTo(1);
        assertThat(audit.intact()).isTrue();
    }
}
