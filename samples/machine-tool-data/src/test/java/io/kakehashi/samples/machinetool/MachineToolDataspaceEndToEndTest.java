package io.kakehashi.samples.machinetool;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ContractCalls;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.DataspaceAuthority;
import io.kakehashi.samples.support.ManagementClient;
import io.kakehashi.samples.support.MetricsScrape;
import io.kakehashi.samples.support.WorkDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two connectors from the launcher jar, each in its own JVM, talking DSP 2025-1 over loopback: the machine-tool
 * sample end to end, and the identity checks at the provider's protocol endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("EndToEndTest")
class MachineToolDataspaceEndToEndTest {

    private static final String CATALOG_REQUEST = """
            {"@context": ["https://w3id.org/dspace/2025/1/context.jsonld"], "@type": "CatalogRequestMessage"}""";

    private final Path workDir = Path.of("target", "e2e", "machine-tool");
    private MachineToolDataspace dataspace;
    private MachineToolDataspace.Outcome outcome;

    @BeforeAll
    void runSample() throws Exception {
        WorkDirectory.clear(workDir);
        dataspace = new MachineToolDataspace(workDir, new PrintStream(Files.newOutputStream(Files.createDirectories(workDir).resolve("steps.txt"))),
                UnaryOperator.identity());
        outcome = dataspace.run(20_000);
    }

    @AfterAll
    void stop() {
        if (dataspace != null) {
            dataspace.close();
        }
    }

    @Test
    void sample_shouldDeliverTheMakersBytesUnchanged() throws Exception {
        var source = workDir.resolve("maker-backend").resolve(MachineToolDataspace.DATA_FILE);
        assertThat(outcome.bytes()).isEqualTo(Files.size(source)).isGreaterThan(1_000_000);
        assertThat(Files.mismatch(source, outcome.received())).isEqualTo(-1L);
        assertThat(outcome.receivedSha256()).isEqualTo(outcome.sourceSha256());
    }

    @Test
    void sample_shouldLeaveAnAgreementKnownToBothSidesAndACompletedTransfer() {
        var consumerApi = dataspace.consumer().management();
        var providerApi = dataspace.provider().management();

        var consumerAgreement = consumerApi.get("/v3/contractagreements/" + outcome.agreementId());
        assertThat(consumerAgreement.path("assetId").asText()).isEqualTo(MachineToolDataspace.ASSET_ID);
        // each side keeps the agreement under its own id; the agreement id of the protocol is shared
        assertThat(Agreements.sharedIdsOf(providerApi)).contains(consumerAgreement.path("agreementId").asText());
        assertThat(consumerApi.transfer(outcome.transferId()).path("state").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void sample_shouldLetTheVendorFindTheMakersJapaneseTitledDatasetInEnglishAcrossBothHolders() {
        assertThat(outcome.discovery().datasetsPerPeer())
                .containsEntry(MachineToolDataspace.PROVIDER_NAME, 1)
                .containsEntry(MachineToolDataspace.PLANT_NAME, 1);
        assertThat(outcome.discovery().makerTitleJa()).contains("工作機械稼働データ");
        // the plant's corrosion records do not match "machine operation"
        assertThat(outcome.discovery().hits()).isEqualTo(1);
    }

    @Test
    void assetCreation_whenTheMetadataViolatesItsProfile_shouldBeA400WithTheShapesMessageAndStoreNothing() {
        var api = dataspace.provider().management();
        var noEnglishTitle = "{\"@context\":{\"dcat\":\"http://www.w3.org/ns/dcat#\",\"dct\":\"http://purl.org/dc/terms/\"},"
                + "\"@id\":\"https://maker.example.jp/datasets/incomplete\",\"@type\":\"dcat:Dataset\","
                + "\"dct:title\":{\"@value\":\"稼働データ\",\"@language\":\"ja\"},"
                + "\"dct:conformsTo\":{\"@id\":\"https://w3id.org/kakehashi/profiles/manufacturing/machine-operation/v1\"}}";

        assertThatThrownBy(() -> api.createAsset("incomplete-metadata", java.util.Map.of(MachineToolDataspace.DCAT_PROPERTY, noEnglishTitle),
                java.util.Map.of("type", "HttpData", "baseUrl", "http://127.0.0.1:9/none")))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("needs an English (@en) value");
                });
        assertThatThrownBy(() -> api.get("/v3/assets/incomplete-metadata"))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void sample_shouldShowTheRefusedRequestWithItsReasonAndTheAuditorBothDecisions() {
        assertThat(outcome.refusal()).contains("denied by policy").contains("EU_EEA");
        // the data, the telemetry, the refused EU-only offer and the compute agreement, each recorded once
        assertThat(outcome.audit().negotiationDecisions()).isEqualTo(4);
        // the three granted requests are agreements, each recorded as the maker's own decision
        assertThat(outcome.audit().agreements()).isEqualTo(3);
        assertThat(outcome.audit().intact()).isTrue();
    }

    @Test
    void telemetry_whenSuspendedResumedAndTerminated_shouldArriveInOrderWithNothingLostTwiceOrLate() {
        var telemetry = outcome.telemetry();

        assertThat(telemetry.sequenceErrors()).isZero();
        assertThat(telemetry.duringSuspension()).isZero();
        assertThat(telemetry.afterEnd()).isZero();
        assertThat(telemetry.atEnd()).isGreaterThanOrEqualTo(telemetry.atSuspend() + 600);
    }

    @Test
    void compute_shouldReturnOnlyAggregatesAndRefuseRawRowsWithTheGuardsReasonToTheVendor() {
        var vendor = dataspace.consumer().management();
        var analysis = vendor.computeResult(outcome.compute().analysisJobId()).path("result");

        assertThat(analysis.path("columns").toString()).isEqualTo("[\"plant\",\"model\",\"machine_days\",\"failure_rate\",\"coolant_c\",\"vibration_mm_s\"]");
        assertThat(analysis.path("rows")).hasSize(12).allSatisfy(row -> assertThat(row.get(2).asLong()).isGreaterThanOrEqualTo(MachineToolDataspace.MIN_AGGREGATION));
        assertThat(outcome.compute().rawRowsRefusal()).contains("output guard").contains("ai.minAggregation = 50");
    }

    @Test
    void compute_shouldShowTheAuditorEveryJobAndTheRefusedReleaseWithItsReason() {
        // SQL analysis, raw-rows job, 10 federated rounds at the maker: each a job decision and a release decision
        assertThat(outcome.audit().computeDecisions()).isEqualTo(24);
        assertThat(outcome.audit().computeRefusals()).isEqualTo(1);
    }

    @Test
    void lineage_shouldRecordTheAnalysisResultAndTheFederatedWeightsTheVendorReceivedWithTheirDigests() {
        var vendor = dataspace.consumer().management();
        var analysisId = outcome.compute().analysisJobId();
        var job = vendor.computeJob(analysisId);

        var record = vendor.get("/v3/kakehashi/lineage/" + analysisId);
        assertThat(record.path("kind").asText()).isEqualTo("COMPUTE_RESULT");
        assertThat(record.path("sha256").asText()).isEqualTo(job.path("resultSha256").asText()).matches("[0-9a-f]{64}");
        assertThat(record.path("providerId").asText()).isEqualTo(job.path("providerId").asText());
        var agreement = outcome.compute().agreements().get(MachineToolDataspace.PROVIDER_NAME);
        var received = vendor.get("/v3/kakehashi/lineage?agreementId=" + URLEncoder.encode(agreement, StandardCharsets.UTF_8));
        // the analysis, and the weights of each federated round at the maker
        assertThat(received.findValuesAsText("kind")).contains("COMPUTE_RESULT", "MODEL");
    }

    @Test
    void federatedTraining_acrossAJapaneseAndTwoOverseasHolders_shouldComeWithinOnePointOfCentralTraining() {
        var training = outcome.compute().training();

        assertThat(outcome.compute().agreements()).containsOnlyKeys(MachineToolDataspace.PROVIDER_NAME, MachineToolDataspace.PLANT_NAME,
                MachineToolDataspace.SG_NAME);
        assertThat(training.rounds()).isEqualTo(10);
        assertThat(training.federatedAccuracy()).isGreaterThan(0.75);
        assertThat(Math.abs(training.federatedAccuracy() - training.centralAccuracy())).isLessThanOrEqualTo(0.01);
    }

    @Test
    void transfer_whenTheAgreementIsUsedAgain_shouldDeliverAgain() throws Exception {
        var delivery = dataspace.transfer(outcome.agreementId(), "delivery-again.csv");

        assertThat(Files.mismatch(outcome.received(), delivery.file())).isEqualTo(-1L);
    }

    @Test
    void managementApi_withoutTheApiKey_shouldBeRefused() {
        var withoutKey = new ManagementClient(dataspace.providerSettings().managementUrl(), "not-the-key-of-this-connector");

        assertThatThrownBy(() -> withoutKey.get("/v3/assets/" + MachineToolDataspace.ASSET_ID))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Nested
    class Metrics {

        @Test
        void providerScrape_afterTheSample_shouldCountTheNegotiationsDspRequestsBytesSentDecisionsAndComputeJobs() throws Exception {
            var scrape = MetricsScrape.scrape(dataspace.providerSettings());
            Files.writeString(workDir.resolve("maker-metrics.txt"), scrape.text());

            assertThat(scrape.sum("kakehashi_negotiation_transitions_total", Map.of("state", "finalized"))).isGreaterThanOrEqualTo(1);
            assertThat(scrape.sum("kakehashi_negotiation_duration_seconds_count", Map.of("role", "provider", "outcome", "finalized")))
                    .isGreaterThanOrEqualTo(1);
            // DSP requests by URI template and status: the agreed negotiations, and the EU-only offer refused at once (no
            // negotiation is stored for it, so it has no duration)
            var dspNegotiations = "/protocol" + ConnectorSettings.DSP_2025_PATH + "/negotiations/request";
            assertThat(scrape.sum("kakehashi_http_server_requests_seconds_count", Map.of("context", "protocol", "uri", dspNegotiations, "status", "200")))
                    .isGreaterThanOrEqualTo(3);
            assertThat(scrape.sum("kakehashi_http_server_requests_seconds_count", Map.of("context", "protocol", "uri", dspNegotiations, "status", "400")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(scrape.samples("kakehashi_http_server_requests_seconds_count"))
                    .anySatisfy(sample -> assertThat(sample.labels()).containsEntry("context", "protocol")
                            .containsEntry("uri", "/protocol" + ConnectorSettings.DSP_2025_PATH + "/negotiations/{id}/agreement/verification"));
            assertThat(scrape.sum("kakehashi_transfer_bytes_total")).isGreaterThanOrEqualTo(outcome.bytes());
            assertThat(scrape.sum("kakehashi_transfer_process_transitions_total", Map.of("state", "completed"))).isGreaterThanOrEqualTo(1);
            assertThat(scrape.sum("kakehashi_decisionlog_appends_total", Map.of("scope", "contract.negotiation", "outcome", "permit")))
                    .isGreaterThanOrEqualTo(3);
            assertThat(scrape.sum("kakehashi_decisionlog_appends_total", Map.of("scope", "contract.negotiation", "outcome", "deny")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(scrape.sum("kakehashi_decisionlog_verifications_total", Map.of("result", "intact"))).isGreaterThanOrEqualTo(1);
            assertThat(scrape.sum("kakehashi_compute_jobs_finished_total", Map.of("type", "sql", "outcome", "completed"))).isGreaterThanOrEqualTo(1);
            assertThat(scrape.sum("kakehashi_compute_jobs_finished_total", Map.of("type", "fl-round", "outcome", "completed"))).isGreaterThanOrEqualTo(10);
            assertThat(scrape.sum("jvm_memory_used_bytes")).isPositive();
            assertThat(scrape.sum("jvm_threads_live_threads")).isPositive();
        }

        @Test
        void consumerScrape_afterTheSample_shouldCountTheReceivedBytesTransfersAndCrawls() {
            var scrape = MetricsScrape.scrape(dataspace.consumerSettings());

            assertThat(scrape.sum("kakehashi_negotiation_duration_seconds_count", Map.of("role", "consumer", "outcome", "finalized")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(scrape.sum("kakehashi_transfer_bytes_total")).isGreaterThanOrEqualTo(outcome.bytes());
            assertThat(scrape.sum("kakehashi_transfer_process_duration_seconds_count", Map.of("role", "consumer", "outcome", "completed")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(scrape.sum("kakehashi_catalog_crawls_total", Map.of("result", "success"))).isGreaterThanOrEqualTo(2);
            assertThat(scrape.sum("kakehashi_catalog_peers")).isGreaterThanOrEqualTo(2);
        }

        @Test
        void scrape_shouldNameNoAgreementTransferOrKey() {
            for (var settings : List.of(dataspace.providerSettings(), dataspace.consumerSettings())) {
                var text = MetricsScrape.scrape(settings).text();

                assertThat(text).doesNotContain(outcome.agreementId(), outcome.transferId(), settings.managementKey(),
                        settings.auditorKey(), settings.metricsKey());
            }
        }

        @Test
        void scrape_withoutTheKeyOrWithAnotherContextsKey_shouldBe401() {
            var settings = dataspace.providerSettings();

            assertThat(MetricsScrape.get(settings.metricsUrl(), null).statusCode()).isEqualTo(401);
            assertThat(MetricsScrape.get(settings.metricsUrl(), settings.managementKey()).statusCode()).isEqualTo(401);
            assertThat(MetricsScrape.get(settings.metricsUrl(), settings.metricsKey().toUpperCase(java.util.Locale.ROOT)).statusCode()).isEqualTo(401);
            assertThat(MetricsScrape.get(settings.metricsUrl(), settings.metricsKey()).statusCode()).isEqualTo(200);
        }
    }

    /**
     * The OpenAPI documents the connectors serve, checked against the same connectors' real endpoints: every documented
     * operation is called, each answer has the expected status and satisfies the documented schema, and each request
     * body sent satisfies the documented request schema.
     */
    @Nested
    class OpenApiDocuments {

        @Test
        void auditorApi_shouldAnswerEveryDocumentedOperationAsItsDocumentSays() throws Exception {
            var settings = dataspace.providerSettings();
            var api = ContractCalls.fetch(settings.auditorUrl(), settings.auditorKey(), "/openapi/auditor.json");

            api.get("/v1/decisions", "/v1/decisions?scope=contract.negotiation&limit=5", 200);
            api.get("/v1/decisions", "/v1/decisions?outcome=MAYBE", 400);
            // the AI vendor's corporate number, from its legal-entity credential, in the maker's entries about it
            var byLegalId = api.get("/v1/decisions", "/v1/decisions?legalId=JCN:7010401012347&limit=5", 200);
            assertThat(byLegalId.body()).contains("\"counterpartyLegalId\":\"JCN:7010401012347\"");
            api.get("/v1/decisions", "/v1/decisions?legalId=JCN:7010401012348", 400);
            api.get("/v1/decisions/{sequence}", "/v1/decisions/1", 200);
            api.get("/v1/decisions/{sequence}", "/v1/decisions/0", 400);
            api.get("/v1/decisions/{sequence}", "/v1/decisions/999999999", 404);
            api.get("/v1/verify", "/v1/verify", 200);
            api.get("/v1/verify", "/v1/verify?from=1&to=2", 200);
            api.get("/v1/verify", "/v1/verify?from=0", 400);
            api.get("/v1/export/decisions", "/v1/export/decisions", 200);
            api.get("/v1/export/decisions", "/v1/export/decisions?from=2&to=3", 200);
            api.get("/v1/export/decisions", "/v1/export/decisions?from=x", 400);
            api.get("/v1/export/checkpoints", "/v1/export/checkpoints", 200);
            api.get("/v1/export/checkpoint-keys", "/v1/export/checkpoint-keys", 200);
            api.get("/v1/checkpoint-key", "/v1/checkpoint-key", 200);
            api.get("/v1/checkpoint-keys", "/v1/checkpoint-keys", 200);
            var treeHead = api.get("/v1/tree-head", "/v1/tree-head", 200);
            var treeSize = ManagementClient.mapper().readTree(treeHead.body()).path("treeSize").asLong();
            api.get("/v1/proofs/inclusion", "/v1/proofs/inclusion?sequence=1&treeSize=" + treeSize, 200);
            api.get("/v1/proofs/inclusion", "/v1/proofs/inclusion?sequence=" + (treeSize + 1) + "&treeSize=" + treeSize, 400);
            api.get("/v1/proofs/consistency", "/v1/proofs/consistency?from=1&to=" + treeSize, 200);
            api.get("/v1/proofs/consistency", "/v1/proofs/consistency?from=2", 400);
            // no witness is configured in the sample: the records are an empty list and an empty export
            api.get("/v1/witnessed-heads", "/v1/witnessed-heads", 200);
            api.get("/v1/export/witnessed-heads", "/v1/export/witnessed-heads", 200);
            api.call("GET", "/v1/witnessed-heads", "/v1/witnessed-heads", null, null, null, 401);
            // the receipts counterparties sent of their own decisions (decision 0039)
            api.get("/v1/receipts", "/v1/receipts", 200);
            api.get("/v1/receipts", "/v1/receipts?agreementId=no-such-agreement", 200);
            api.get("/v1/receipts", "/v1/receipts?nosuch=1", 400);
            api.get("/v1/export/receipts", "/v1/export/receipts", 200);
            api.call("GET", "/v1/export/receipts", "/v1/export/receipts", null, null, null, 401);
            // the evidence bundle of the agreement the vendor's SQL analysis ran under (decision 0043)
            var providerJob = dataspace.consumer().management().computeJob(outcome.compute().analysisJobId()).path("providerJobId").asText();
            // the maker's own job (its compute-jobs API), not a job it sent: it names the agreement the job ran under
            var agreement = dataspace.provider().management().get("/v3/kakehashi/compute/jobs/" + providerJob).path("agreementId").asText();
            var bundlePath = "/v1/export/agreements/" + URLEncoder.encode(agreement, StandardCharsets.UTF_8).replace("+", "%20") + "/bundle";
            var bundle = api.get("/v1/export/agreements/{agreementId}/bundle", bundlePath, 200);
            assertThat(ManagementClient.mapper().readTree(bundle.body()).path("agreementId").asText()).isNotBlank();
            api.get("/v1/export/agreements/{agreementId}/bundle", "/v1/export/agreements/no-such-agreement/bundle", 404);
            api.call("GET", "/v1/export/agreements/{agreementId}/bundle", bundlePath, null, null, null, 401);
            api.get("/openapi", "/openapi", 200);
            api.get("/openapi/{name}.json", "/openapi/nothing.json", 404);
            api.call("GET", "/v1/decisions", "/v1/decisions", null, null, null, 401);
            api.call("GET", "/v1/export/decisions", "/v1/export/decisions", settings.managementKey(), null, null, 401);

            assertThat(api.called()).containsAll(api.documented());
        }

        @Test
        void providerComputeJobs_shouldAnswerEveryDocumentedOperationAsItsDocumentSays() throws Exception {
            var settings = dataspace.providerSettings();
            var api = ContractCalls.fetch(settings.managementUrl(), settings.managementKey(), "/openapi/compute-jobs.json");

            // the vendor's SQL analysis, as the maker knows it
            var providerJob = dataspace.consumer().management().computeJob(outcome.compute().analysisJobId()).path("providerJobId").asText();
            assertThat(providerJob).isNotBlank();
            var job = api.get("/v3/kakehashi/compute/jobs/{id}", "/v3/kakehashi/compute/jobs/" + providerJob, 200);
            var agreement = ManagementClient.mapper().readTree(job.body()).path("agreementId").asText();
            var jobs = api.get("/v3/kakehashi/compute/jobs", "/v3/kakehashi/compute/jobs?agreementId=" + URLEncoder.encode(agreement, StandardCharsets.UTF_8), 200);
            assertThat(jobs.body()).contains(providerJob);
            api.get("/v3/kakehashi/compute/jobs", "/v3/kakehashi/compute/jobs?agreementId=no-such-agreement", 200);
            api.get("/v3/kakehashi/compute/jobs", "/v3/kakehashi/compute/jobs", 400);
            api.get("/v3/kakehashi/compute/jobs/{id}", "/v3/kakehashi/compute/jobs/no-such-job", 404);
            api.call("POST", "/v3/kakehashi/compute/jobs/{id}/cancel", "/v3/kakehashi/compute/jobs/no-such-job/cancel",
                    settings.managementKey(), null, null, 404);
            api.call("GET", "/v3/kakehashi/compute/jobs", "/v3/kakehashi/compute/jobs", settings.auditorKey(), null, null, 401);

            assertThat(api.called()).containsAll(api.documented());
        }

        @Test
        void consumerComputeJobs_shouldAnswerEveryDocumentedOperationAsItsDocumentSays() throws Exception {
            var settings = dataspace.consumerSettings();
            var api = ContractCalls.fetch(settings.managementUrl(), settings.managementKey(), "/openapi/compute-remote-jobs.json");
            var analysis = outcome.compute().analysisJobId();

            api.get("/v3/kakehashi/compute/remote-jobs", "/v3/kakehashi/compute/remote-jobs", 200);
            api.get("/v3/kakehashi/compute/remote-jobs/{id}", "/v3/kakehashi/compute/remote-jobs/" + analysis, 200);
            api.get("/v3/kakehashi/compute/remote-jobs/{id}/result", "/v3/kakehashi/compute/remote-jobs/" + analysis + "/result", 200);
            api.get("/v3/kakehashi/compute/remote-jobs/{id}/result", "/v3/kakehashi/compute/remote-jobs/no-such-job/result", 404);
            api.get("/v3/kakehashi/compute/remote-jobs/{id}", "/v3/kakehashi/compute/remote-jobs/no-such-job", 404);
            api.call("POST", "/v3/kakehashi/compute/remote-jobs/{id}/cancel", "/v3/kakehashi/compute/remote-jobs/no-such-job/cancel",
                    settings.managementKey(), null, null, 404);
            var providerSettings = dataspace.providerSettings();
            var submission = ManagementClient.mapper().createObjectNode()
                    .put("agreementId", outcome.compute().agreements().get(MachineToolDataspace.PROVIDER_NAME))
                    .put("counterPartyAddress", providerSettings.dspAddress())
                    .put("counterPartyId", providerSettings.participantId());
            submission.putObject("job").put("type", "sql").putObject("parameters").put("query", "SELECT plant, count(*) AS machine_days FROM asset GROUP BY plant");
            // the plain form, the alias kept for existing clients
            api.call("POST", "/v3/kakehashi/compute/remote-jobs", "/v3/kakehashi/compute/remote-jobs", settings.managementKey(), null,
                    submission.toString(), 201);
            api.call("POST", "/v3/kakehashi/compute/remote-jobs", "/v3/kakehashi/compute/remote-jobs", settings.managementKey(), null,
                    "{\"agreementId\": \"x\"}", 400);
            // the JSON-LD form: the same job, and one without its agreement, refused naming the member
            var jsonLd = ManagementClient.computeBody("RemoteComputeJobRequest");
            jsonLd.setAll(submission);
            var created = api.call("POST", "/v3/kakehashi/compute/remote-jobs", "/v3/kakehashi/compute/remote-jobs", settings.managementKey(),
                    null, jsonLd.toString(), 201);
            assertThat(ManagementClient.mapper().readTree(created.body()).path("@type").asText()).isEqualTo("RemoteComputeJob");
            jsonLd.remove("agreementId");
            var refused = api.call("POST", "/v3/kakehashi/compute/remote-jobs", "/v3/kakehashi/compute/remote-jobs", settings.managementKey(),
                    null, jsonLd.toString(), 400);
            assertThat(refused.body()).contains("agreementId: mandatory, missing");
            api.call("GET", "/v3/kakehashi/compute/remote-jobs", "/v3/kakehashi/compute/remote-jobs", null, null, null, 401);

            assertThat(api.called()).containsAll(api.documented());
        }

        @Test
        void federatedTrainings_shouldAnswerEveryDocumentedOperationAsItsDocumentSays() {
            var settings = dataspace.consumerSettings();
            var api = ContractCalls.fetch(settings.managementUrl(), settings.managementKey(), "/openapi/compute-trainings.json");
            var training = outcome.compute().training().id();

            var listed = api.get("/v3/kakehashi/compute/trainings", "/v3/kakehashi/compute/trainings", 200);
            assertThat(listed.body()).contains(training);
            api.get("/v3/kakehashi/compute/trainings/{id}", "/v3/kakehashi/compute/trainings/" + training, 200);
            api.get("/v3/kakehashi/compute/trainings/{id}", "/v3/kakehashi/compute/trainings/no-such-training", 404);
            var holder = dataspace.providerSettings();
            var request = ManagementClient.mapper().createObjectNode().put("rounds", 1).put("roundDeadline", "PT1M");
            request.putArray("participants").addObject().put("agreementId", "no-such-agreement")
                    .put("counterPartyAddress", holder.dspAddress()).put("counterPartyId", holder.participantId());
            request.putObject("parameters").put("features", "a,b").put("label", "y").put("positive", "1");
            // a well-formed request under an agreement this connector does not hold: refused before any round starts
            api.call("POST", "/v3/kakehashi/compute/trainings", "/v3/kakehashi/compute/trainings", settings.managementKey(), null,
                    request.toString(), 400);
            api.call("POST", "/v3/kakehashi/compute/trainings", "/v3/kakehashi/compute/trainings", settings.managementKey(), null,
                    "{\"rounds\": 0}", 400);
            api.call("GET", "/v3/kakehashi/compute/trainings", "/v3/kakehashi/compute/trainings", null, null, null, 401);

            assertThat(api.called()).containsAll(api.documented());
        }

        @Test
        void catalogSearchAndSparql_shouldAnswerEveryDocumentedOperationAsItsDocumentSays() {
            var settings = dataspace.consumerSettings();
            var api = ContractCalls.fetch(settings.managementUrl(), settings.managementKey(), "/openapi/catalog.json");
            var select = "SELECT ?dataset WHERE { GRAPH ?g { ?dataset a <http://www.w3.org/ns/dcat#Dataset> } } LIMIT 5";

            var found = api.get("/v3/catalog/search", "/v3/catalog/search?q=machine", 200);
            assertThat(found.body()).contains("\"count\"");
            api.get("/v3/catalog/search", "/v3/catalog/search?q=machine&limit=x", 400);
            api.get("/v3/catalog/sparql", "/v3/catalog/sparql?query=" + URLEncoder.encode(select, StandardCharsets.UTF_8), 200);
            api.get("/v3/catalog/sparql", "/v3/catalog/sparql?query=" + URLEncoder.encode("ASK { ?s ?p ?o }", StandardCharsets.UTF_8), 200);
            api.get("/v3/catalog/sparql", "/v3/catalog/sparql?query=" + URLEncoder.encode("SELECT ?x WHERE {", StandardCharsets.UTF_8), 400);
            api.send("POST", "/v3/catalog/sparql", "/v3/catalog/sparql", "application/sparql-query", select, 200);
            api.send("POST", "/v3/catalog/sparql", "/v3/catalog/sparql", "application/sparql-query", "DELETE WHERE { ?s ?p ?o }", 400);
            api.call("GET", "/v3/catalog/search", "/v3/catalog/search?q=machine", null, null, null, 401);

            assertThat(api.called()).containsAll(api.documented());
        }

        @Test
        void obligations_shouldAnswerEveryDocumentedOperationAsItsDocumentSays() {
            var settings = dataspace.consumerSettings();
            var api = ContractCalls.fetch(settings.managementUrl(), settings.managementKey(), "/openapi/obligations.json");

            api.get("/v3/kakehashi/obligations/{id}", "/v3/kakehashi/obligations/" + outcome.agreementId(), 200);
            api.get("/v3/kakehashi/obligations/{id}", "/v3/kakehashi/obligations/no-such-agreement", 404);
            api.call("GET", "/v3/kakehashi/obligations/{id}", "/v3/kakehashi/obligations/" + outcome.agreementId(), null, null, null, 401);

            assertThat(api.called()).containsAll(api.documented());
        }

        @Test
        void transferProgress_shouldAnswerEveryDocumentedOperationAsItsDocumentSays() {
            var settings = dataspace.consumerSettings();
            var api = ContractCalls.fetch(settings.managementUrl(), settings.managementKey(), "/openapi/transfer-progress.json");

            api.get("/v1/kakehashi/transfers/progress", "/v1/kakehashi/transfers/progress", 200);
            api.get("/v1/kakehashi/transfers/{id}/progress", "/v1/kakehashi/transfers/" + outcome.transferId() + "/progress", 200);
            api.get("/v1/kakehashi/transfers/{id}/progress", "/v1/kakehashi/transfers/no-such-transfer/progress", 404);
            api.call("GET", "/v1/kakehashi/transfers/progress", "/v1/kakehashi/transfers/progress", null, null, null, 401);

            assertThat(api.called()).containsAll(api.documented());
        }

        @Test
        void metricsEndpoint_shouldAnswerEveryDocumentedOperationAsItsDocumentSays() {
            var settings = dataspace.providerSettings();
            var api = ContractCalls.fetch(settings.metricsUrl(), settings.metricsKey(), "/openapi/metrics.json");

            api.get("/", "", 200);
            api.call("GET", "/", "", settings.metricsKey(), "application/openmetrics-text; version=1.0.0, text/plain; q=0.5", null, 200);
            // what Prometheus sends: a refused key must still be a 401 with a JSON body, not a 500 for want of a text writer
            api.call("GET", "/", "", null, "application/openmetrics-text; version=1.0.0, text/plain; version=0.0.4; q=0.5", null, 401);
            api.call("GET", "/", "", settings.managementKey(), null, null, 401);
            api.get("/openapi", "/openapi", 200);
            api.get("/openapi/{name}.json", "/openapi/auditor.json", 404);

            assertThat(api.called()).containsAll(api.documented());
        }
    }

    @Nested
    class ProtocolEndpointIdentity {

        @Test
        void catalogRequest_whenTheConsumersCredentialsComeFromAnUntrustedIssuer_shouldBeRefusedNamingIt() {
            try (var rogue = DataspaceAuthority.start(workDir.resolve("rogue-authority"), "rogue", new PrintStream(OutputStream.nullOutputStream()))) {
                var strangerSettings = new ConnectorSettings("stranger", workDir.resolve("stranger"))
                        .trustIssuer("connected-industries", dataspace.authority().did());
                // the stranger trusts the maker's authority, but its own membership comes from an authority the maker never heard of
                rogue.issueMembership(strangerSettings, MachineToolDataspace.DATASPACE);
                try (var stranger = ConnectorProcess.start(strangerSettings, MachineToolDataspace.START_TIMEOUT)) {
                    assertThatThrownBy(() -> stranger.management().requestCatalog(dataspace.providerSettings().dspAddress(), dataspace.providerSettings().participantId()))
                            .isInstanceOf(ManagementClient.ManagementApiException.class);
                    assertThat(dataspace.provider().logTail(400)).contains("issuer '" + rogue.did() + "' is not a trusted issuer");
                }
            }
        }

        @Test
        void catalogRequest_whenTheConsumersMembershipIsRevoked_shouldBeRefusedFromTheNextRequestOn() {
            var lateSettings = new ConnectorSettings("revoked-vendor", workDir.resolve("revoked-vendor"))
                    .trustIssuer("connected-industries", dataspace.authority().did());
            var membership = dataspace.authority().issueMembership(lateSettings, MachineToolDataspace.DATASPACE);
            try (var vendor = ConnectorProcess.start(lateSettings, MachineToolDataspace.START_TIMEOUT)) {
                var maker = dataspace.providerSettings();
                assertThat(ManagementClient.datasets(vendor.management().requestCatalog(maker.dspAddress(), maker.participantId()))).isNotEmpty();

                dataspace.authority().revoke(membership);
                // the maker re-reads the authority's status list once its short cache (1 s in the samples) has expired
                var refused = false;
                for (var attempt = 0; attempt < 20 && !refused; attempt++) {
                    try {
                        vendor.management().requestCatalog(maker.dspAddress(), maker.participantId());
                        ConnectorProcess.sleep(500);
                    } catch (ManagementClient.ManagementApiException e) {
                        refused = true;
                    }
                }
                assertThat(refused).as("catalog refused after the revocation").isTrue();
                assertThat(dataspace.provider().logTail(400)).contains("is revoked");
            }
        }

        @Test
        void catalogRequest_withoutAToken_shouldBe401() throws Exception {
            assertThat(postCatalogRequest(null).statusCode()).isEqualTo(401);
        }

        @Test
        void catalogRequest_withATokenSignedByAKeyNotInTheCallersDidDocument_shouldBe401() throws Exception {
            var consumer = dataspace.consumerSettings().participantId();
            var forged = selfIssuedToken(consumer, dataspace.providerSettings().participantId(), Instant.now().plusSeconds(60));

            assertThat(postCatalogRequest("Bearer " + forged).statusCode()).isEqualTo(401);
            assertThat(dataspace.provider().logTail(400)).contains("Refused a DSP request token");
        }

        @Test
        void catalogRequest_withGarbageForAToken_shouldBe401() throws Exception {
            assertThat(postCatalogRequest("Bearer eyJhbGciOiJub25lIn0.e30.").statusCode()).isEqualTo(401);
        }

        private HttpResponse<String> postCatalogRequest(String token) throws Exception {
            var request = HttpRequest.newBuilder(URI.create(dataspace.providerSettings().dspAddress() + "/catalog/request"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(CATALOG_REQUEST));
            if (token != null) {
                request.header("Authorization", token);
            }
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        private String selfIssuedToken(String issuer, String audience, Instant expiry) throws Exception {
            var key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
            var claims = new JWTClaimsSet.Builder().issuer(issuer).subject(issuer).audience(audience)
                    .issueTime(new Date()).expirationTime(Date.from(expiry)).jwtID(UUID.randomUUID().toString()).build();
            var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(issuer + "#" + key.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        }
    }
}
