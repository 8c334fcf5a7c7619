package io.kakehashi.ai.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.junit.annotations.EndToEndTest;
import org.eclipse.edc.spi.entity.StatefulEntity;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.junit.extensions.RuntimeExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static io.kakehashi.ai.transfer.TestConnector.MAPPER;
import static io.kakehashi.ai.transfer.TestConnector.constraint;
import static io.kakehashi.ai.transfer.TestConnector.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two connectors in this JVM (control plane, embedded data plane, gRPC data plane, compute), talking DSP 2025-1 and
 * gRPC over loopback: the AI vendor negotiates with the machine-tool maker and, through its management API only,
 * sends compute jobs that travel as {@code KakehashiCompute-PUSH} transfer processes and whose results come back
 * over gRPC — an aggregate under {@code ai.minAggregation}, a raw-row query the output guard refuses, a job the
 * agreement's purpose refuses, and a long job the vendor cancels.
 */
@EndToEndTest
class ComputeTransferEndToEndTest {

    private static final Path DIR = directory();
    private static final TestConnector MAKER = new TestConnector("jp-machine-tool-maker", DIR);
    private static final TestConnector VENDOR = new TestConnector("ai-vendor", DIR);

    @RegisterExtension
    static final RuntimeExtension MAKER_RUNTIME = MAKER.runtime();
    @RegisterExtension
    static final RuntimeExtension VENDOR_RUNTIME = VENDOR.runtime();

    private static String guarded;
    private static String evaluationOnly;
    private static String analytics;
    private static String noTransfers;

    private static Path directory() {
        try {
            return Files.createDirectories(Path.of("target", "compute-e2e-" + UUID.randomUUID()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void negotiate() throws IOException {
        var csv = new StringBuilder("machine,region,temperature\n");
        for (var i = 0; i < 30; i++) {
            csv.append("m").append(i).append(',').append(i % 3 == 0 ? "Aichi" : "Osaka").append(',').append(40 + i).append('\n');
        }
        var file = Files.writeString(DIR.resolve("machines.csv"), csv);
        MAKER.publish("machines", file, List.of(constraint("purpose", "eq", "analytics"), constraint("ai.minAggregation", "gteq", "5")));
        MAKER.publish("machines-evaluation", file, List.of(constraint("purpose", "eq", "ai.evaluation")));
        MAKER.publish("machines-analytics", file, List.of(constraint("purpose", "eq", "analytics")));
        guarded = VENDOR.negotiate(MAKER, "machines");
        evaluationOnly = VENDOR.negotiate(MAKER, "machines-evaluation");
        analytics = VENDOR.negotiate(MAKER, "machines-analytics");
        // count lt 1: no transfer at all under this agreement, so the maker's transfer.process decision refuses every job
        var none = MAPPER.createObjectNode().put("leftOperand", "http://www.w3.org/ns/odrl/2/count").put("operator", "lt").put("rightOperand", "1");
        MAKER.publish("machines-no-transfers", file, List.of(constraint("purpose", "eq", "analytics"), none));
        noTransfers = VENDOR.negotiate(MAKER, "machines-no-transfers");
    }

    private static String sql(String query) {
        return MAPPER.createObjectNode().put("type", "sql").set("parameters", MAPPER.createObjectNode().put("query", query)).toString();
    }

    private static String submitted(String agreementId, String job) {
        var response = VENDOR.submit(agreementId, MAKER, job);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return ok(response).path("id").asText();
    }

    @Test
    void anAggregateUnderTheGuard_shouldComeBackOverGrpcWithTheProvidersResultHash() {
        var id = submitted(guarded, sql("SELECT region, count(*) AS machines, avg(temperature) AS avg_temp FROM asset GROUP BY region ORDER BY region"));

        var job = VENDOR.awaitField("/v3/kakehashi/compute/remote-jobs/" + id, "state", "COMPLETED");
        var result = VENDOR.get("/v3/kakehashi/compute/remote-jobs/" + id + "/result");

        assertThat(result.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(result.path("result").path("columns")).hasToString("[\"region\",\"machines\",\"avg_temp\"]");
        var rows = result.path("result").path("rows");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get(0).asText()).isEqualTo("Aichi");
        assertThat(rows.get(0).get(1).asLong()).isEqualTo(10);
        assertThat(rows.get(1).get(1).asLong()).isEqualTo(20);
        assertThat(result.toString()).doesNotContain("m7");
        assertThat(job.path("progress").asDouble()).isEqualTo(1.0);
        assertThat(job.path("transferProcessId").asText()).isEqualTo(id);
        var providerJob = MAKER.get("/v3/kakehashi/compute/jobs/" + job.path("providerJobId").asText());
        assertThat(providerJob.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(job.path("resultHash").asText()).isEqualTo(providerJob.path("resultHash").asText()).isNotBlank();
        assertThat(job.path("descriptionHash").asText()).isEqualTo(providerJob.path("descriptionHash").asText());
        VENDOR.awaitField("/v3/transferprocesses/" + id, "state", "COMPLETED");
        // the maker's decision log: the job's decision names the job, the release names the result
        var jobDigest = job.path("descriptionHash").asText();
        assertThat(makerDecision("compute", jobDigest).path("outcome").asText()).isEqualTo("PERMIT");
        var release = makerDecision("compute.result", jobDigest);
        assertThat(release.path("outcome").asText()).isEqualTo("PERMIT");
        assertThat(release.path("digests").path("result").asText()).isEqualTo(job.path("resultHash").asText());
        assertThat(release.path("counterpartyId").asText()).isEqualTo("ai-vendor");
        // both name the agreement by the DSP agreement id both sides share, the maker's own id beside it
        var shared = VENDOR.get("/v3/contractagreements/" + guarded).path("agreementId").asText();
        for (var decision : java.util.List.of(makerDecision("compute", jobDigest), release)) {
            assertThat(decision.path("agreementId").asText()).isEqualTo(shared);
            assertThat(decision.path("localAgreementId").asText()).isEqualTo(providerAgreement(guarded)).isNotEqualTo(shared);
        }
        // the release travelled to the vendor as the maker's receipt of the completed transfer (decision 0039)
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> MAKER.decisions().stream()
                .map(line -> line.path("entry")).anyMatch(entry -> entry.path("reasons").path(0).path("constraint").asText().equals("transfer.completed")
                        && entry.path("agreementId").asText().equals(shared) && entry.path("counterpartyId").asText().equals("ai-vendor")));
    }

    @Test
    void rawRowsUnderTheGuard_shouldBeRefusedWithTheGuardsReasonOnTheConsumer() {
        var id = submitted(guarded, sql("SELECT * FROM asset"));

        var job = VENDOR.awaitField("/v3/kakehashi/compute/remote-jobs/" + id, "state", "FAILED");

        assertThat(job.path("reason").asText()).contains("aggregate");
        assertThat(job.path("resultHash").isNull()).isTrue();
        assertThat(VENDOR.raw("GET", "/v3/kakehashi/compute/remote-jobs/" + id + "/result", null).statusCode()).isEqualTo(409);
        var providerJob = MAKER.get("/v3/kakehashi/compute/jobs/" + job.path("providerJobId").asText());
        assertThat(providerJob.path("state").asText()).isEqualTo("FAILED");
        assertThat(providerJob.path("reason").asText()).isEqualTo(job.path("reason").asText());
        VENDOR.awaitField("/v3/transferprocesses/" + id, "state", "TERMINATED");
        var refusal = makerDecision("compute.result", job.path("descriptionHash").asText());
        assertThat(refusal.path("outcome").asText()).isEqualTo("DENY");
        assertThat(refusal.toString()).contains("aggregate");
        assertThat(refusal.path("digests").has("result")).isFalse();
    }

    @Test
    void aJobTheAgreementsPurposeDoesNotCover_shouldBeRefusedByThePolicyWithItsReason() {
        var id = submitted(evaluationOnly, sql("SELECT region, count(*) FROM asset GROUP BY region"));

        var job = VENDOR.awaitField("/v3/kakehashi/compute/remote-jobs/" + id, "state", "FAILED");

        assertThat(job.path("reason").asText()).startsWith("denied by policy").contains("purpose");
        var providerJobs = MAKER.get("/v3/kakehashi/compute/jobs?agreementId=" + providerAgreement(evaluationOnly));
        assertThat(providerJobs).hasSize(1);
        assertThat(providerJobs.get(0).path("admitted").asBoolean()).isFalse();
        assertThat(providerJobs.get(0).path("reason").asText()).isEqualTo(job.path("reason").asText());
        var denial = makerDecision("compute", job.path("descriptionHash").asText());
        assertThat(denial.path("outcome").asText()).isEqualTo("DENY");
        assertThat(denial.toString()).contains("purpose");
    }

    @Test
    void aTransferTheProviderRefusesBeforeTheJobRuns_shouldEndFailedWithTheProvidersReason() {
        var id = submitted(noTransfers, sql("SELECT region, count(*) FROM asset GROUP BY region"));

        var job = VENDOR.awaitField("/v3/kakehashi/compute/remote-jobs/" + id, "state", "FAILED");

        // the maker refused the transfer request in its transfer.process decision: the reason is the policy's
        assertThat(job.path("reason").asText()).startsWith("refused by the provider (409)").contains("denied by policy: count");
        assertThat(job.path("providerJobId").isNull()).isTrue();
        assertThat(MAKER.get("/v3/kakehashi/compute/jobs?agreementId=" + providerAgreement(noTransfers))).isEmpty();
        VENDOR.awaitField("/v3/transferprocesses/" + id, "state", "TERMINATED");
    }

    @Test
    void cancelFromTheConsumer_shouldStopTheRunningJobOnTheProvider() {
        var id = submitted(analytics, sql("SELECT sum(hash(i)) AS h FROM range(1000000000000) t(i)"));
        VENDOR.awaitField("/v3/kakehashi/compute/remote-jobs/" + id, "state", "RUNNING");
        var providerJobId = awaitProviderJob(providerAgreement(analytics), "RUNNING").path("id").asText();
        // the maker reports the running job's progress over gRPC before any result: the SQL runner is at 0.3 while the query runs
        var progressing = awaitProgress(id, providerJobId);
        assertThat(progressing.path("state").asText()).isEqualTo("RUNNING");
        assertThat(progressing.path("progress").asDouble()).isGreaterThan(0).isLessThan(1);
        assertThat(progressing.path("providerJobId").asText()).isEqualTo(providerJobId);

        assertBadRequest(VENDOR.raw("POST", "/v3/kakehashi/compute/remote-jobs/" + id + "/cancel", "{\"reason\": 7}"), "reason");
        var cancelled = ok(VENDOR.raw("POST", "/v3/kakehashi/compute/remote-jobs/" + id + "/cancel",
                "{ \"@context\": { \"@vocab\": \"https://w3id.org/kakehashi/ns#\" }, \"@type\": \"ComputeJobCancellation\", \"reason\": \"too slow\" }"));

        assertThat(cancelled.path("state").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.path("reason").asText()).isEqualTo("cancelled by consumer: too slow");
        var providerJob = MAKER.awaitField("/v3/kakehashi/compute/jobs/" + providerJobId, "state", "CANCELLED");
        assertThat(providerJob.path("reason").asText()).contains("termination");
        VENDOR.awaitField("/v3/transferprocesses/" + id, "state", "TERMINATED");
        assertThat(VENDOR.get("/v3/kakehashi/compute/remote-jobs/" + id).path("state").asText()).isEqualTo("CANCELLED");
        assertThat(VENDOR.raw("POST", "/v3/kakehashi/compute/remote-jobs/" + id + "/cancel", null).statusCode()).isEqualTo(409);
    }

    @Test
    void cancelAtTheProvider_shouldEndTheConsumersJobCancelledWithTheProvidersReason() {
        var id = submitted(analytics, sql("SELECT sum(hash(i + 1)) AS h FROM range(1000000000000) t(i)"));
        VENDOR.awaitField("/v3/kakehashi/compute/remote-jobs/" + id, "state", "RUNNING");
        var providerJobId = awaitProviderJob(providerAgreement(analytics), "RUNNING").path("id").asText();

        ok(MAKER.raw("POST", "/v3/kakehashi/compute/jobs/" + providerJobId + "/cancel", null));

        var job = VENDOR.awaitField("/v3/kakehashi/compute/remote-jobs/" + id, "state", "CANCELLED");
        assertThat(job.path("reason").asText()).isEqualTo("cancelled by provider");
        assertThat(job.path("providerJobId").asText()).isEqualTo(providerJobId);
        VENDOR.awaitField("/v3/transferprocesses/" + id, "state", "TERMINATED");
    }

    /** The JSON-LD form of a submission (decision 0050): Kakehashi's terms under {@code @vocab}, parameters a JSON literal. */
    private static String jsonLdSubmission(String agreementId, String members) {
        return """
                { "@context": { "@vocab": "https://w3id.org/kakehashi/ns#", "parameters": { "@type": "@json" } },
                  "@type": "RemoteComputeJobRequest", "agreementId": "%s", "counterPartyAddress": "%s", "counterPartyId": "%s", %s }
                """.formatted(agreementId, MAKER.dsp(), MAKER.id, members);
    }

    @Test
    void aJsonLdSubmission_shouldRunAsThePlainFormAndAnswerJsonLd() {
        var response = VENDOR.raw("POST", "/v3/kakehashi/compute/remote-jobs", jsonLdSubmission(guarded,
                "\"job\": { \"@type\": \"ComputeJobDescription\", \"type\": \"sql\", "
                        + "\"parameters\": { \"query\": \"SELECT region, count(*) AS machines FROM asset GROUP BY region ORDER BY region\" } }"));
        var created = ok(response);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(created.path("@type").asText()).isEqualTo("RemoteComputeJob");
        assertThat(created.path("@id").asText()).isEqualTo(created.path("id").asText());
        assertThat(created.path("@context").path("@vocab").asText()).isEqualTo("https://w3id.org/kakehashi/ns#");
        VENDOR.awaitField("/v3/kakehashi/compute/remote-jobs/" + created.path("id").asText(), "state", "COMPLETED");
        var rows = VENDOR.get("/v3/kakehashi/compute/remote-jobs/" + created.path("id").asText() + "/result").path("result").path("rows");
        assertThat(rows).hasSize(2);
    }

    @Test
    void badJsonLdSubmissions_shouldBe400NamingTheMemberAndStoreNothing() {
        var before = VENDOR.get("/v3/kakehashi/compute/remote-jobs").size();

        var missing = VENDOR.raw("POST", "/v3/kakehashi/compute/remote-jobs",
                jsonLdSubmission(guarded, "\"priority\": \"high\", \"job\": { \"parameters\": { \"query\": \"SELECT 1\" } }"));
        assertBadRequest(missing, "job.type: mandatory, missing");
        assertThat(missing.body()).contains("priority: unknown member").contains("\"path\":\"job.type\"");
        assertBadRequest(VENDOR.raw("POST", "/v3/kakehashi/compute/remote-jobs", jsonLdSubmission(guarded,
                "\"job\": { \"type\": \"mining\", \"parameters\": {} }")), "type must be one of");
        assertBadRequest(VENDOR.raw("POST", "/v3/kakehashi/compute/remote-jobs",
                "{ \"@context\": \"https://w3id.org/kakehashi/nowhere\", \"@type\": \"RemoteComputeJobRequest\" }"), "not JSON-LD that expands");
        assertBadRequest(VENDOR.raw("POST", "/v3/kakehashi/compute/remote-jobs",
                "{ \"@context\": { \"@vocab\": \"https://w3id.org/kakehashi/ns#\" }, \"@type\": \"Asset\" }"), "must be kh:RemoteComputeJobRequest");

        assertThat(VENDOR.get("/v3/kakehashi/compute/remote-jobs").size()).isEqualTo(before);
    }

    @Test
    void badSubmissions_shouldBe400WithAReasonAndStoreNothing() {
        var before = VENDOR.get("/v3/kakehashi/compute/remote-jobs").size();

        assertBadRequest(VENDOR.submit("no-such-agreement", MAKER, sql("SELECT 1")), "no agreement");
        assertBadRequest(VENDOR.submit(guarded, MAKER, "{\"type\": \"sql\", \"parameters\": {\"query\": 7}}"), "must be a string");
        assertBadRequest(VENDOR.submit(guarded, MAKER, "{\"type\": \"mining\"}"), "type must be one of");
        assertBadRequest(VENDOR.submit(guarded, MAKER, "{\"type\": \"evaluation\", \"model\": \"not base64!\"}"), "base64");
        assertBadRequest(VENDOR.raw("POST", "/v3/kakehashi/compute/remote-jobs", "{not json"), "not JSON");
        assertBadRequest(VENDOR.raw("POST", "/v3/kakehashi/compute/remote-jobs",
                "{\"agreementId\": \"%s\", \"counterPartyAddress\": \"ftp://x\", \"job\": %s}".formatted(guarded, sql("SELECT 1"))), "counterPartyAddress");
        assertBadRequest(VENDOR.raw("POST", "/v3/kakehashi/compute/remote-jobs",
                "{\"agreementId\": \"%s\", \"counterPartyAddress\": \"%s\", \"counterPartyId\": \"someone-else\", \"job\": %s}"
                        .formatted(guarded, MAKER.dsp(), sql("SELECT 1"))), "counterPartyId");
        // the maker holds the agreement as provider, not as consumer
        assertBadRequest(MAKER.submit(providerAgreement(guarded), VENDOR, sql("SELECT 1")), "not the consumer");

        assertThat(VENDOR.get("/v3/kakehashi/compute/remote-jobs").size()).isEqualTo(before);
        assertThat(VENDOR.raw("GET", "/v3/kakehashi/compute/remote-jobs/no-such-job", null).statusCode()).isEqualTo(404);
        assertThat(VENDOR.raw("GET", "/v3/kakehashi/compute/remote-jobs/no-such-job/result", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aJobUnderAnAgreementWhoseNegotiationTheProviderEndedTerminated_shouldBeDeniedWithTheReason() {
        var agreement = VENDOR.negotiate(MAKER, "machines-analytics");
        var makersAgreement = providerAgreement(agreement);
        endTerminated(MAKER_RUNTIME, makersAgreement);

        var id = submitted(agreement, sql("SELECT region, count(*) FROM asset GROUP BY region"));

        var job = VENDOR.awaitField("/v3/kakehashi/compute/remote-jobs/" + id, "state", "FAILED");
        assertThat(job.path("reason").asText()).startsWith("refused by the provider (409)")
                .contains("agreement %s can no longer be used".formatted(makersAgreement));
        VENDOR.awaitField("/v3/transferprocesses/" + id, "state", "TERMINATED");
        assertThat(MAKER.get("/v3/kakehashi/compute/jobs?agreementId=" + makersAgreement)).isEmpty();
        // the maker's decision log holds the refusal as a DENY of its transfer.process decision, with the reason
        assertThat(MAKER.decisions()).anySatisfy(line -> {
            var entry = line.path("entry");
            assertThat(entry.path("scope").asText()).isEqualTo("transfer.process");
            assertThat(entry.path("outcome").asText()).isEqualTo("DENY");
            assertThat(entry.toString()).contains(makersAgreement, "its contract negotiation was terminated");
        });
    }

    @Test
    void aJobOrTransferUnderAnAgreementWhoseNegotiationTheConsumerEndedTerminated_shouldBe400WithTheReason() {
        var agreement = VENDOR.negotiate(MAKER, "machines-analytics");
        endTerminated(VENDOR_RUNTIME, agreement);
        var before = VENDOR.get("/v3/kakehashi/compute/remote-jobs").size();

        assertBadRequest(VENDOR.submit(agreement, MAKER, sql("SELECT 1")), "agreement %s can no longer be used".formatted(agreement));
        var transfer = TestConnector.body().put("@type", "TransferRequest").put("contractId", agreement)
                .put("counterPartyAddress", MAKER.dsp()).put("protocol", TestConnector.PROTOCOL).put("transferType", "KakehashiCompute-PUSH");
        assertBadRequest(VENDOR.raw("POST", "/v3/transferprocesses", transfer.toString()), "agreement %s can no longer be used".formatted(agreement));

        assertThat(VENDOR.get("/v3/kakehashi/compute/remote-jobs").size()).isEqualTo(before);
    }

    @Test
    void aJobUnderAFinalizedAgreement_shouldStillRun() {
        var agreement = VENDOR.negotiate(MAKER, "machines-analytics");

        var id = submitted(agreement, sql("SELECT count(*) AS n FROM asset"));

        VENDOR.awaitField("/v3/kakehashi/compute/remote-jobs/" + id, "state", "COMPLETED");
    }

    private static void assertBadRequest(java.net.http.HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains(reason);
    }

    /**
     * Leaves the negotiation that holds the agreement TERMINATED with the agreement stored, as the crash rounds did
     * when the verification or finalization was lost after the agreement (issue 14). EDC's state machine cannot be
     * driven there from FINALIZED, so the stored state is set directly and saved through the connector's store.
     */
    private static void endTerminated(RuntimeExtension runtime, String agreementId) {
        var store = runtime.getService(ContractNegotiationStore.class);
        var query = QuerySpec.Builder.newInstance().filter(Criterion.criterion("contractAgreement.id", "=", agreementId)).build();
        ContractNegotiation negotiation;
        try (var found = store.queryNegotiations(query)) {
            negotiation = found.findFirst().orElseThrow();
        }
        try {
            var state = StatefulEntity.class.getDeclaredField("state");
            state.setAccessible(true);
            state.setInt(negotiation, ContractNegotiationStates.TERMINATED.code());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        negotiation.setErrorDetail("the finalization was lost");
        store.save(negotiation);
    }

    /** The maker's decision-log entry of a scope about the job with this description digest. */
    private static JsonNode makerDecision(String scope, String jobDigest) {
        var found = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            for (var line : MAKER.decisions()) {
                var entry = line.path("entry");
                if (entry.path("scope").asText().equals(scope) && entry.path("digests").path("job").asText().equals(jobDigest)) {
                    found[0] = entry;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** The maker's own id of the agreement the vendor knows by its id (EDC gives each side its own, and shares another). */
    private static String providerAgreement(String vendorAgreementId) {
        var shared = VENDOR.get("/v3/contractagreements/" + vendorAgreementId).path("agreementId").asText();
        assertThat(shared).isNotBlank();
        var query = TestConnector.body().put("@type", "QuerySpec");
        for (var agreement : MAKER.post("/v3/contractagreements/request", query)) {
            if (agreement.path("agreementId").asText().equals(shared)) {
                return agreement.path("@id").asText();
            }
        }
        throw new AssertionError("the maker has no agreement " + shared);
    }

    /** The vendor's job once it shows the progress (above 0) the maker's job has, from the maker's reports. */
    private static JsonNode awaitProgress(String id, String providerJobId) {
        var found = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
            var atMaker = MAKER.get("/v3/kakehashi/compute/jobs/" + providerJobId).path("progress").asDouble();
            found[0] = VENDOR.get("/v3/kakehashi/compute/remote-jobs/" + id);
            return atMaker > 0 && found[0].path("progress").asDouble() == atMaker && !found[0].path("providerJobId").isNull();
        });
        return found[0];
    }

    private static JsonNode awaitProviderJob(String agreementId, String state) {
        var found = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
            for (var job : MAKER.get("/v3/kakehashi/compute/jobs?agreementId=" + agreementId)) {
                if (job.path("state").asText().equals(state)) {
                    found[0] = job;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
