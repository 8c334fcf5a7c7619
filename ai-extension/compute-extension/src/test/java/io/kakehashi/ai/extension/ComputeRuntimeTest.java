package io.kakehashi.ai.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.ai.core.ComputeJobService;
import io.kakehashi.ai.spi.JobDescription;
import io.kakehashi.ai.spi.JobOutput;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.testfixtures.Ports;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.junit.annotations.ComponentTest;
import org.eclipse.edc.junit.extensions.EmbeddedRuntime;
import org.eclipse.edc.junit.extensions.RuntimeExtension;
import org.eclipse.edc.junit.extensions.RuntimePerClassExtension;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compute extensions booted in EDC's embedded control plane with Kakehashi's policy validation and constraints,
 * as the launcher will have them: an asset with a File address is created through the management API, jobs are
 * decided by the runtime's policy engine in the compute scope (purpose, job count), run, and shown on the
 * management API behind its key.
 */
@ComponentTest
class ComputeRuntimeTest {

    private static final String API_KEY = "compute-test-key";
    private static final int MANAGEMENT_PORT = Ports.freePort();
    private static final Path DATA = data();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final RuntimeExtension RUNTIME = new RuntimePerClassExtension(new EmbeddedRuntime("compute-runtime-test", new URL[0])
            .configurationProvider(() -> {
                var config = new HashMap<String, String>();
                config.put("edc.participant.id", "jp-machine-tool-maker");
                config.put("web.http.port", String.valueOf(Ports.freePort()));
                config.put("web.http.path", "/api");
                config.put("web.http.management.port", String.valueOf(MANAGEMENT_PORT));
                config.put("web.http.management.path", "/management");
                config.put("web.http.management.auth.type", "tokenbased");
                config.put("web.http.management.auth.key", API_KEY);
                var protocolPort = Ports.freePort();
                config.put("web.http.protocol.port", String.valueOf(protocolPort));
                config.put("web.http.protocol.path", "/protocol");
                config.put("web.http.control.port", String.valueOf(Ports.freePort()));
                config.put("web.http.control.path", "/control");
                config.put("edc.dsp.callback.address", "http://127.0.0.1:%d/protocol".formatted(protocolPort));
                config.put("kakehashi.ai.jobs.time-limit", "PT1M");
                config.put("kakehashi.ai.jobs.memory-limit", String.valueOf(128L << 20));
                return ConfigFactory.fromMap(config);
            }));

    private static Path data() {
        try {
            var dir = Files.createDirectories(Path.of("target", "compute-runtime-test-" + UUID.randomUUID()));
            var csv = new StringBuilder("region,temperature\n");
            for (var i = 0; i < 30; i++) {
                csv.append(i % 3 == 0 ? "Aichi" : "Osaka").append(',').append(40 + i).append('\n');
            }
            return Files.writeString(dir.resolve("machines.csv"), csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d/management%s".formatted(MANAGEMENT_PORT, path)))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            builder.header("X-Api-Key", key);
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    @BeforeAll
    static void asset() throws Exception {
        var asset = """
                {"@context": {"@vocab": "https://w3id.org/edc/v0.0.1/ns/"}, "@id": "machine-operation-data",
                 "properties": {"name": "machine operation data"},
                 "dataAddress": {"@type": "DataAddress", "type": "File", "path": "%s"}}""".formatted(DATA.toAbsolutePath().toString().replace("\\", "\\\\"));
        assertThat(send("POST", "/v3/assets", asset, API_KEY).statusCode()).isEqualTo(200);
    }

    private static ContractAgreement agreement(AtomicConstraint... constraints) {
        var permission = Permission.Builder.newInstance().action(Action.Builder.newInstance().type(KakehashiPolicy.ODRL_USE).build());
        for (var constraint : constraints) {
            permission.constraint(constraint);
        }
        var id = "agreement-" + UUID.randomUUID();
        var agreement = ContractAgreement.Builder.newInstance().id(id).agreementId(id).providerId("jp-machine-tool-maker").consumerId("ai-vendor")
                .assetId("machine-operation-data").contractSigningDate(System.currentTimeMillis() / 1000)
                .policy(Policy.Builder.newInstance().permission(permission.build()).build()).build();
        // held by a FINALIZED negotiation, as every agreement the connector acts on is (docs/decisions/0019)
        RUNTIME.getService(ContractNegotiationStore.class).save(ContractNegotiation.Builder.newInstance()
                .id("negotiation-" + id).correlationId("consumer-negotiation-" + id)
                .counterPartyId("ai-vendor").counterPartyAddress("http://127.0.0.1:1/protocol").protocol("dataspace-protocol-http:2025-1")
                .type(ContractNegotiation.Type.PROVIDER).state(ContractNegotiationStates.FINALIZED.code())
                .contractAgreement(agreement).build());
        return agreement;
    }

    private static AtomicConstraint constraint(String leftOperand, Operator operator, Object rightOperand) {
        return AtomicConstraint.Builder.newInstance().leftExpression(new LiteralExpression(leftOperand)).operator(operator)
                .rightExpression(new LiteralExpression(rightOperand)).build();
    }

    private static final ParticipantAgent VENDOR = new ParticipantAgent("ai-vendor", Map.of(), Map.of());
    private static final JobDescription REGIONS = JobDescription.of(JobType.SQL,
            Map.of("query", "SELECT region, count(*) AS n FROM asset GROUP BY region ORDER BY region"));

    @Test
    void anSqlJob_shouldBeDecidedRunAndShownOnTheManagementApi() throws Exception {
        var service = RUNTIME.getService(ComputeJobService.class);
        var agreement = agreement(constraint(KakehashiPolicy.PURPOSE, Operator.EQ, "analytics"),
                constraint(KakehashiPolicy.AI_MIN_AGGREGATION, Operator.GEQ, "5"));

        var job = service.submit(VENDOR, agreement, REGIONS).getContent();
        var done = service.whenFinished(job.id()).orElseThrow().get(60, TimeUnit.SECONDS);

        assertThat(done.state()).as(String.valueOf(done.reason())).isEqualTo(JobState.COMPLETED);
        assertThat(((JobOutput.Table) service.result(job.id()).orElseThrow()).rows()).containsExactly(List.of("Aichi", 10L), List.of("Osaka", 20L));
        var shown = send("GET", "/v3/kakehashi/compute/jobs/" + job.id(), null, API_KEY);
        assertThat(shown.statusCode()).isEqualTo(200);
        JsonNode view = MAPPER.readTree(shown.body());
        assertThat(view.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(view.path("resultHash").asText()).isEqualTo(done.resultHash());
        assertThat(send("GET", "/v3/kakehashi/compute/jobs/" + job.id(), null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void jobsThePolicyRefuses_shouldFailWithTheirReasons() throws Exception {
        var service = RUNTIME.getService(ComputeJobService.class);
        var analyticsOnce = agreement(constraint(KakehashiPolicy.PURPOSE, Operator.EQ, "analytics"),
                constraint(KakehashiPolicy.COMPUTE_JOB_COUNT, Operator.LEQ, "1"));

        var training = service.submit(VENDOR, analyticsOnce,
                JobDescription.of(JobType.TRAINING, Map.of("features", "temperature", "label", "region"))).getContent();
        var first = service.submit(VENDOR, analyticsOnce, REGIONS).getContent();
        var second = service.submit(VENDOR, analyticsOnce, REGIONS).getContent();

        assertThat(training.state()).isEqualTo(JobState.FAILED);
        assertThat(training.reason()).startsWith("denied by policy").contains("purpose");
        assertThat(service.whenFinished(first.id()).orElseThrow().get(60, TimeUnit.SECONDS).state()).isEqualTo(JobState.COMPLETED);
        assertThat(second.state()).isEqualTo(JobState.FAILED);
        assertThat(second.reason()).contains("compute.jobCount");
        var listed = MAPPER.readTree(send("GET", "/v3/kakehashi/compute/jobs?agreementId=" + analyticsOnce.getId(), null, API_KEY).body());
        assertThat(listed).hasSize(3);
    }
}
