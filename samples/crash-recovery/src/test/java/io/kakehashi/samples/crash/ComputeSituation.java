package io.kakehashi.samples.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.kakehashi.ai.spi.ModelWeights;
import io.kakehashi.samples.crash.CrashDataspace.Side;
import io.kakehashi.samples.support.ManagementClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * A compute job (SQL at the provider, or a federated-learning round, sent from the consumer's management API) killed
 * while it runs: the consumer shows it RUNNING (the provider's progress report arrived). The query is a cross join
 * heavy enough to run for some seconds; the round trains 100 epochs over 300,000 rows of 12 features. With the consumer killed the holder keeps running it, so the job must end COMPLETED on both sides, its
 * result readable at the consumer with the provider's result hash; with the provider killed it may also end FAILED, on
 * both sides and with a reason on both. Either way it must not stay QUEUED or RUNNING on either side.
 */
final class ComputeSituation extends Situation {

    private static final Set<String> FINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");
    private static final int ROWS = 2000;
    private static final String QUERY = """
            SELECT count(*) AS triples, sum((a.x * 31 + b.x * 17 + c.x) % 101) AS checksum
            FROM asset a, asset b, asset c WHERE c.x < 500""";

    /** What the job is. */
    enum Kind { SQL, FEDERATED_ROUND }

    private static final int ROUND_ROWS = 300_000;
    private static final int ROUND_FEATURES = 12;

    private final Kind kind;
    private final String assetId;
    private String agreementId;
    /** The provider's own id of the agreement, by which its jobs are listed. */
    private String providerAgreementId;
    private volatile String jobId;
    private volatile String providerJobId;
    private volatile int providerJobs = 1;

    ComputeSituation(CrashDataspace dataspace, Side victim, int round) {
        this(dataspace, Kind.SQL, victim, round);
    }

    ComputeSituation(CrashDataspace dataspace, Kind kind, Side victim, int round) {
        super(dataspace, kind == Kind.SQL ? "compute job RUNNING (SQL)" : "compute job RUNNING (federated round)", victim, round);
        this.kind = kind;
        this.assetId = "compute-%s-%s-r%d".formatted(kind == Kind.SQL ? "sql" : "fl", victim.label(), round);
    }

    @Override
    void prepare() {
        var file = dataspace.workDir().resolve("provider-backend").resolve(assetId + ".csv");
        try {
            Files.createDirectories(file.getParent());
            var csv = new StringBuilder(kind == Kind.SQL ? "x,y\n" : featureNames() + ",label\n");
            if (kind == Kind.SQL) {
                for (var i = 0; i < ROWS; i++) {
                    csv.append(i).append(',').append(i % 13).append('\n');
                }
            } else {
                for (var i = 0; i < ROUND_ROWS; i++) {
                    var sum = 0.0;
                    for (var f = 0; f < ROUND_FEATURES; f++) {
                        var value = ((i * (f + 7L)) % 101) / 101.0;
                        sum += value;
                        csv.append(value).append(',');
                    }
                    csv.append(sum > ROUND_FEATURES / 2.0 ? "yes" : "no").append('\n');
                }
            }
            Files.writeString(file, csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dataspace.publish(assetId, Map.of("type", "File", "path", file.toString(), "format", "csv"), CrashDataspace.OPEN_POLICY);
        agreementId = dataspace.agree(assetId);
        var shared = dataspace.api(Side.CONSUMER).get("/v3/contractagreements/" + agreementId).path("agreementId").asText();
        for (var agreement : dataspace.all(Side.PROVIDER, "/v3/contractagreements/request")) {
            if (shared.equals(agreement.path("agreementId").asText())) {
                providerAgreementId = agreement.path("@id").asText();
            }
        }
    }

    @Override
    void begin() {
        var job = ManagementClient.mapper().createObjectNode();
        if (kind == Kind.SQL) {
            job.put("type", "sql").putObject("parameters").put("query", QUERY);
        } else {
            job.put("type", "fl-round").putObject("parameters").put("features", featureNames()).put("label", "label").put("positive", "yes")
                    .put("means", String.join(",", java.util.Collections.nCopies(ROUND_FEATURES, "0.5")))
                    .put("scales", String.join(",", java.util.Collections.nCopies(ROUND_FEATURES, "0.3")))
                    .put("epochs", "100").put("learningRate", "0.05").put("round", "1");
            job.put("model", Base64.getEncoder().encodeToString(ModelWeights.encode(new double[ROUND_FEATURES + 1])));
        }
        var provider = dataspace.settings(Side.PROVIDER);
        jobId = dataspace.api(Side.CONSUMER).submitComputeJob(provider.dspAddress(), provider.participantId(), agreementId, job);
    }

    @Override
    boolean inPosition() {
        return "RUNNING".equals(consumer().path("state").asText()) && "RUNNING".equals(provider(consumer()).path("state").asText());
    }

    @Override
    String describe() {
        var consumer = consumer();
        return "consumer %s, provider %s".formatted(jobState(consumer), jobState(provider(consumer)));
    }

    @Override
    void settle(Instant ready, Instant deadline) {
        JsonNode consumer;
        JsonNode provider;
        while (true) {
            consumer = consumer();
            provider = provider(consumer);
            if (FINAL.contains(consumer.path("state").asText()) && FINAL.contains(provider.path("state").asText())) {
                result.ended(ready);
                break;
            }
            if (CrashDataspace.past(deadline)) {
                break;
            }
            CrashDataspace.sleep(250);
        }
        var consumerState = consumer.path("state").asText("absent");
        var providerState = provider.path("state").asText("absent");
        result.outcome = "consumer %s, provider %s%s".formatted(consumerState, providerState,
                providerJobs > 1 ? " (%d jobs at the provider)".formatted(providerJobs) : "");
        var completed = "COMPLETED".equals(consumerState) && "COMPLETED".equals(providerState);
        var failed = "FAILED".equals(consumerState) && "FAILED".equals(providerState);
        if (!completed && !(failed && result.victim == Side.PROVIDER)) {
            result.problem("compute job %s: expected %s on both sides within the bound, found consumer %s, provider %s", jobId,
                    result.victim == Side.PROVIDER ? "COMPLETED (or FAILED with a reason)" : "COMPLETED", jobState(consumer), jobState(provider));
        }
        for (var side : new Object[][]{{"consumer", consumer}, {"provider", provider}}) {
            var job = (JsonNode) side[1];
            if ("FAILED".equals(job.path("state").asText()) && job.path("reason").asText("").isBlank()) {
                result.problem("compute job %s is FAILED on the %s side with no reason on its management API", jobId, side[0]);
            }
        }
        if (completed) {
            var resultHash = provider.path("resultHash").asText("");
            if (resultHash.isEmpty() || !resultHash.equals(consumer.path("resultHash").asText())) {
                result.problem("compute job %s: result hash at the consumer '%s' differs from the provider's '%s'", jobId,
                        consumer.path("resultHash").asText(), resultHash);
            }
            try {
                var document = dataspace.api(Side.CONSUMER).computeResult(jobId);
                result.outcome += kind == Kind.SQL ? ", result %s".formatted(document.at("/result/rows")) : ", result document read";
            } catch (RuntimeException e) {
                result.problem("compute job %s is COMPLETED but its result is not readable at the consumer: %s", jobId,
                        abbreviate(String.valueOf(e.getMessage()), 160));
            }
        }
    }

    private static String featureNames() {
        var names = new StringBuilder();
        for (var f = 0; f < ROUND_FEATURES; f++) {
            names.append(f == 0 ? "" : ",").append("f").append(f);
        }
        return names.toString();
    }

    private static String jobState(JsonNode job) {
        if (job == null || job.isMissingNode()) {
            return "absent";
        }
        var reason = job.path("reason").asText("");
        return job.path("state").asText("?") + (reason.isEmpty() || "null".equals(reason) ? "" : " (" + abbreviate(reason, 80) + ")");
    }

    private JsonNode consumer() {
        return jobId == null ? MissingNode.getInstance() : dataspace.read(Side.CONSUMER, "/v3/kakehashi/compute/remote-jobs/" + jobId);
    }

    /**
     * The provider's job: by the id the consumer learnt from a progress report, else the only job the provider lists
     * under the agreement (remembered across a restart).
     */
    private JsonNode provider(JsonNode consumer) {
        var known = consumer.path("providerJobId").asText("");
        if (!known.isEmpty() && !"null".equals(known)) {
            providerJobId = known;
        }
        if (providerJobId == null && providerAgreementId != null) {
            var jobs = dataspace.read(Side.PROVIDER, "/v3/kakehashi/compute/jobs?agreementId=" + providerAgreementId);
            if (jobs.isArray() && jobs.size() == 1) {
                providerJobId = jobs.get(0).path("id").asText();
            } else if (jobs.isArray() && jobs.size() > 1) {
                // more than one job under the agreement: the job was run again; the summary says so, the last one is followed
                providerJobId = jobs.get(jobs.size() - 1).path("id").asText();
                providerJobs = jobs.size();
            }
        }
        return providerJobId == null ? MissingNode.getInstance() : dataspace.read(Side.PROVIDER, "/v3/kakehashi/compute/jobs/" + providerJobId);
    }
}
