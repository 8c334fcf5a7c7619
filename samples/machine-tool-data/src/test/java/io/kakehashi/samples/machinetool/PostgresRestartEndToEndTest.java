package io.kakehashi.samples.machinetool;

import io.kakehashi.samples.support.AuditorClient;
import io.kakehashi.samples.support.ManagementClient;
import io.kakehashi.samples.support.WorkDirectory;
import io.kakehashi.testfixtures.PostgresTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The machine-tool sample with both connectors keeping their state in the tests' PostgreSQL
 * ({@link PostgresTestServer}: the configured server, or an embedded one that the connectors' JVMs reach too): an agreement and a finished transfer survive a restart of both
 * connectors, and the agreement still works afterwards.
 */
@Tag("EndToEndTest")
@Tag("PostgresqlIntegrationTest")
class PostgresRestartEndToEndTest {

    private static final PostgresTestServer POSTGRES = PostgresTestServer.get();
    /**
     * The federated rounds before the restart: the sample runs ten, but each round only adds one more job row like
     * the others, and two already show that more than one round's job outlives the restart (ten took ~40 s).
     */
    private static final int ROUNDS = 2;

    private final Path workDir = Path.of("target", "e2e", "postgres-restart");
    private MachineToolDataspace dataspace;

    @BeforeEach
    void freshDatabases() throws Exception {
        WorkDirectory.clear(workDir);
        for (var participant : new String[]{MachineToolDataspace.PROVIDER_NAME, MachineToolDataspace.CONSUMER_NAME, MachineToolDataspace.PLANT_NAME,
                MachineToolDataspace.SG_NAME}) {
            POSTGRES.recreateDatabase(databaseOf(participant));
        }
        dataspace = new MachineToolDataspace(workDir, new PrintStream(Files.newOutputStream(Files.createDirectories(workDir).resolve("steps.txt"))),
                settings -> settings.postgres(POSTGRES.url(databaseOf(settings.name())), POSTGRES.user()));
    }

    @AfterEach
    void stop() {
        if (dataspace != null) {
            dataspace.close();
        }
    }

    @Test
    void agreementAndFinishedTransfer_whenBothConnectorsRestart_shouldSurviveAndStillWork() throws Exception {
        // the sample's steps (MachineToolDataspace.run), all of them, with fewer federated rounds
        var source = dataspace.generateData(5_000);
        dataspace.startConnectors();
        dataspace.publish(source);
        dataspace.publishInspectionRecords();
        dataspace.findAcrossPeers();
        var agreementId = dataspace.negotiate(dataspace.discover());
        var delivery = dataspace.transferGrpc(agreementId, "delivery-1.csv");
        dataspace.streamTelemetry("use-machine-data");
        dataspace.negotiateEuOnlyOffer();
        dataspace.publishHealthRecords();
        var computeAgreements = dataspace.negotiateHealthRecords();
        var analysis = dataspace.analyseAtTheMaker(computeAgreements.get(MachineToolDataspace.PROVIDER_NAME));
        dataspace.askForRawRows(computeAgreements.get(MachineToolDataspace.PROVIDER_NAME));
        dataspace.trainAcrossHolders(computeAgreements, ROUNDS);
        dataspace.audit();

        dataspace.stopConnectors();
        assertThat(dataspace.provider().isAlive()).isFalse();
        assertThat(dataspace.consumer().isAlive()).isFalse();
        dataspace.startConnectors();

        var consumerApi = dataspace.consumer().management();
        var providerApi = dataspace.provider().management();
        var consumerAgreement = consumerApi.get("/v3/contractagreements/" + agreementId);
        assertThat(consumerAgreement.path("assetId").asText()).isEqualTo(MachineToolDataspace.ASSET_ID);
        var sharedAgreementId = consumerAgreement.path("agreementId").asText();
        assertThat(Agreements.sharedIdsOf(providerApi)).contains(sharedAgreementId);
        assertThat(consumerApi.transfer(delivery.transferId()).path("state").asText()).isEqualTo("COMPLETED");
        // the provider deprovisions a finished push; either way it has ended well
        assertThat(providerTransferStates(providerApi, sharedAgreementId)).singleElement().isIn("COMPLETED", "DEPROVISIONED");
        // the compute jobs: the maker ran them (SQL analysis, raw rows refused, a job per federated round), the AI vendor sent them
        var makerJobs = countRows(MachineToolDataspace.PROVIDER_NAME, "SELECT count(*) FROM kakehashi_compute_job WHERE consumer_id = ?",
                dataspace.consumerSettings().participantId());
        assertThat(makerJobs).as("the maker's jobs are rows in its PostgreSQL database").isEqualTo(2 + ROUNDS);
        assertThat(consumerApi.computeJob(analysis.path("id").asText()).path("state").asText())
                .as("the AI vendor's job survives its restart").isEqualTo("COMPLETED");
        assertThat(countRows(MachineToolDataspace.CONSUMER_NAME, "SELECT count(*) FROM edc_contract_agreement WHERE agr_id = ?", agreementId))
                .as("the agreement is a row in the consumer's PostgreSQL database").isEqualTo(1);
        assertThat(countRows(MachineToolDataspace.CONSUMER_NAME, "SELECT count(*) FROM edc_transfer_process WHERE transferprocess_id = ?", delivery.transferId()))
                .as("the transfer is a row in the consumer's PostgreSQL database").isEqualTo(1);

        var afterRestart = dataspace.transfer(agreementId, "after-restart.csv");
        assertThat(Files.mismatch(delivery.file(), afterRestart.file())).isEqualTo(-1L);

        // the maker's decision log is in its database too, one chain across the restart, and the auditor still verifies it
        assertThat(countRows(MachineToolDataspace.PROVIDER_NAME, "SELECT count(*) FROM kakehashi_decision_log WHERE scope = ?", "transfer.process"))
                .as("transfer decisions before and after the restart").isGreaterThanOrEqualTo(2);
        var provider = dataspace.providerSettings();
        var verification = new AuditorClient(provider.auditorUrl(), provider.auditorKey()).verify();
        assertThat(verification.path("intact").asBoolean()).as("%s", verification).isTrue();
    }

    /** The states of the provider's transfers under the agreement (the sample also streams and computes under others). */
    private static java.util.List<String> providerTransferStates(ManagementClient api, String sharedAgreementId) {
        // a transfer names the agreement by the provider's own id for it, or by the id both sides share
        var ids = new java.util.HashSet<String>(java.util.List.of(sharedAgreementId));
        api.post("/v3/contractagreements/request", ManagementClient.body("QuerySpec")).forEach(agreement -> {
            if (sharedAgreementId.equals(agreement.path("agreementId").asText())) {
                ids.add(agreement.path("@id").asText());
            }
        });
        var query = ManagementClient.body("QuerySpec");
        var states = new java.util.ArrayList<String>();
        api.post("/v3/transferprocesses/request", query).forEach(tp -> {
            if (ids.contains(tp.path("contractId").asText())) {
                states.add(tp.path("state").asText());
            }
        });
        return states;
    }

    static String databaseOf(String name) {
        return "kakehashi_e2e_" + name.replace('-', '_');
    }

    private static int countRows(String participant, String sql, String id) throws SQLException {
        try (var connection = POSTGRES.connect(databaseOf(participant));
             var statement = connection.prepareStatement(sql)) {
            statement.setString(1, id);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
