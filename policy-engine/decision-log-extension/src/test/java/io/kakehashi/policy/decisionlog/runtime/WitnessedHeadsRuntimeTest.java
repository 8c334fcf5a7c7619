package io.kakehashi.policy.decisionlog.runtime;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.policy.decisionlog.ChainVerifier;
import io.kakehashi.policy.decisionlog.CheckpointSchedule;
import io.kakehashi.policy.decisionlog.CheckpointSigner;
import io.kakehashi.policy.decisionlog.CheckpointingDecisionRecorder;
import io.kakehashi.policy.decisionlog.Cosignatures;
import io.kakehashi.policy.decisionlog.FileCheckpointStore;
import io.kakehashi.policy.decisionlog.FileDecisionLogStore;
import io.kakehashi.policy.decisionlog.WitnessedHeadVerifier;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.VerificationResult.Problem;
import io.kakehashi.policy.decisionlog.spi.WitnessRecord;
import io.kakehashi.policy.decisionlog.spi.WitnessRecord.Kind;
import io.kakehashi.policy.decisionlog.spi.WitnessStore;
import io.kakehashi.testfixtures.RuntimeSettings;
import org.eclipse.edc.junit.annotations.EndToEndTest;
import org.eclipse.edc.junit.extensions.EmbeddedRuntime;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two connectors in one JVM, each witnessing the other over loopback (issue 21, item 2): the vendor countersigns the
 * maker's signed tree head and sends the countersignature back, which the maker keeps; the public endpoints refuse bad
 * input with 4xx; and when the maker's operator rewrites its log — a DENY turned into a PERMIT, every checkpoint
 * signed again with the maker's own key, the received countersignatures deleted — the vendor refuses to countersign
 * the new head and keeps both heads, from which the verifier finds the rewrite.
 */
@EndToEndTest
class WitnessedHeadsRuntimeTest {

    private static final Monitor MONITOR = new Monitor() { };
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path directory;
    private final List<EmbeddedRuntime> running = new ArrayList<>();

    @AfterEach
    void stop() {
        running.forEach(EmbeddedRuntime::shutdown);
    }

    @Test
    void vendor_shouldWitnessTheMaker_andCatchItsRewrittenLog() throws Exception {
        var makerKey = new ECKeyGenerator(Curve.P_256).keyID("maker-key").generate();
        var vendorKey = new ECKeyGenerator(Curve.P_256).keyID("vendor-key").generate();
        var makerSettings = new RuntimeSettings("maker", "witness-test-maker-management-key");
        var vendorSettings = new RuntimeSettings("vendor", "witness-test-vendor-management-key");
        settings(makerSettings, directory.resolve("maker"), vendorSettings.protocolUrl());
        settings(vendorSettings, directory.resolve("vendor"), makerSettings.protocolUrl());

        var maker = start(makerSettings, makerKey);
        var vendor = start(vendorSettings, vendorKey);
        for (int i = 0; i < 4; i++) {
            assertThat(maker.getService(DecisionRecorder.class).record(decision(i, i == 1 ? DecisionOutcome.DENY : DecisionOutcome.PERMIT)).succeeded()).isTrue();
        }
        assertThat(vendor.getService(DecisionRecorder.class).record(decision(0, DecisionOutcome.PERMIT)).succeeded()).isTrue();

        var vendorWitness = vendor.getService(WitnessStore.class);
        var makerWitness = maker.getService(WitnessStore.class);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(vendorWitness.all()).anySatisfy(record -> {
                assertThat(record.kind()).isEqualTo(Kind.WITNESSED);
                assertThat(record.peer()).isEqualTo(makerSettings.protocolUrl());
                assertThat(record.treeSize()).isEqualTo(4);
            });
            assertThat(makerWitness.all()).as(() -> "vendor checkpoints " + vendor.getService(io.kakehashi.policy.decisionlog.spi.CheckpointStore.class).all().size()
                    + ", vendor head " + vendor.getService(io.kakehashi.policy.decisionlog.spi.DecisionLogStore.class).head() + ", GET " + status(vendorSettings.protocolUrl() + "/decision-log/v1/tree-head")).anySatisfy(record -> {
                assertThat(record.kind()).isEqualTo(Kind.RECEIVED);
                assertThat(record.peer()).isEqualTo("vendor-key");
                assertThat(record.treeSize()).isEqualTo(4);
            });
        });
        var witnessed = vendorWitness.all().stream().filter(record -> record.kind() == Kind.WITNESSED && record.treeSize() == 4).findFirst().orElseThrow();
        assertThat(Cosignatures.verify(witnessed.cosignature()).witnessKey().computeThumbprint()).isEqualTo(vendorKey.computeThumbprint());

        var base = makerSettings.protocolUrl() + "/decision-log/v1";
        assertThat(get(base + "/tree-head").statusCode()).isEqualTo(200);
        assertThat(get(base + "/tree-head").body()).contains("\"treeSize\":4");
        assertThat(get(base + "/proofs/consistency?from=1&to=4").statusCode()).isEqualTo(200);
        assertThat(get(base + "/proofs/consistency?from=1&to=5")).satisfies(answer -> {
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(answer.body()).contains("beyond the latest signed tree head");
        });
        assertThat(get(base + "/proofs/consistency?from=one&to=4").statusCode()).isEqualTo(400);
        assertThat(get(base + "/proofs/consistency?from=3&to=2").statusCode()).isEqualTo(400);
        assertThat(get(base + "/proofs/consistency?from=1&to=4&limit=9").statusCode()).isEqualTo(400);
        assertThat(get(base + "/proofs/consistency").statusCode()).isEqualTo(400);
        assertThat(send(base + "/tree-head", "DELETE", "").statusCode()).isEqualTo(405);
        assertThat(send(base + "/tree-head", "POST", "{}").statusCode()).isEqualTo(405);
        assertThat(send(base + "/cosignatures", "POST", "{\"cosignature\":\"not.a.jws\"}").statusCode()).isEqualTo(400);
        assertThat(send(base + "/cosignatures", "POST", "{\"cosignature\":\"" + "a".repeat(20_000) + "\"}").statusCode()).isEqualTo(413);
        // a stranger's countersignature of the maker's head: well formed, but from no witness the maker knows
        var stranger = new ECKeyGenerator(Curve.P_256).keyID("stranger-key").generate();
        var head = io.kakehashi.policy.decisionlog.SignedTreeHeads.verify(witnessed.headJws(), makerKey.toPublicJWK());
        var forged = Cosignatures.sign(stranger, head, io.kakehashi.policy.decisionlog.SignedTreeHeads.thumbprint(makerKey), Instant.now());
        assertThat(send(base + "/cosignatures", "POST", "{\"cosignature\":\"" + forged + "\"}").statusCode()).isEqualTo(403);

        // the maker's operator rewrites its log and signs it all again with the maker's own key
        maker.shutdown();
        running.remove(maker);
        var makerDir = directory.resolve("maker");
        Files.delete(makerDir.resolve("decisions.jsonl"));
        Files.delete(makerDir.resolve("checkpoints.jsonl"));
        Files.delete(makerDir.resolve("witness.jsonl"));
        try (var store = FileDecisionLogStore.open(makerDir.resolve("decisions.jsonl"), MONITOR);
             var checkpoints = FileCheckpointStore.open(makerDir.resolve("checkpoints.jsonl"), MONITOR)) {
            var recorder = new CheckpointingDecisionRecorder(store, checkpoints, new CheckpointSigner(makerKey, Clock.systemUTC()),
                    new CheckpointSchedule(2, Duration.ofHours(1)), Clock.systemUTC());
            for (int i = 0; i < 6; i++) {
                assertThat(recorder.record(decision(i, DecisionOutcome.PERMIT)).succeeded()).isTrue();
            }
            assertThat(ChainVerifier.verifyWithHistory(store, checkpoints.all(), checkpoints.keys()).intact()).as("the rewrite verifies on its own").isTrue();
        }
        var rewritten = start(makerSettings, makerKey);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(vendorWitness.all()).anySatisfy(record -> {
            assertThat(record.kind()).isEqualTo(Kind.CONFLICT);
            assertThat(record.treeSize()).isEqualTo(6);
            assertThat(record.evidenceJws()).isEqualTo(witnessed.headJws());
        }));
        assertThat(vendorWitness.all()).noneMatch(record -> record.kind() == Kind.WITNESSED && record.treeSize() == 6);

        // from the vendor's one witnessed head, the verifier finds the rewrite in the maker's log
        List<WitnessRecord> evidence = List.of(witnessed);
        var check = WitnessedHeadVerifier.verify(rewritten.getService(io.kakehashi.policy.decisionlog.spi.DecisionLogStore.class), evidence,
                rewritten.getService(io.kakehashi.policy.decisionlog.spi.CheckpointStore.class).keys());
        assertThat(check.result().problem()).isEqualTo(Problem.WITNESSED_HEAD_NOT_EXTENDED);
        assertThat(check.result().position()).isEqualTo(4);
    }

    private static void settings(RuntimeSettings settings, Path dir, String peer) {
        settings.put("kakehashi.decisionlog.dir", dir.toString());
        settings.put("kakehashi.outbox.dir", dir.resolve("outbox").toString());
        // every append signs the head at once: no timer between a decision and the head a witness fetches
        settings.put("kakehashi.decisionlog.checkpoint.entries", "1");
        settings.put("kakehashi.decisionlog.witness.peers", peer);
        settings.put("kakehashi.decisionlog.witness.interval", "PT1S");
    }

    private EmbeddedRuntime start(RuntimeSettings settings, ECKey key) {
        var runtime = new EmbeddedRuntime(settings.id(), new URL[0])
                .configurationProvider(() -> ConfigFactory.fromMap(settings.asMap()))
                .registerServiceMock(ConnectorSigningKey.class, () -> key);
        runtime.boot(false);
        running.add(runtime);
        return runtime;
    }

    private static DecisionEntry decision(int i, DecisionOutcome outcome) {
        return DecisionEntry.builder().time(Instant.parse("2026-12-07T00:00:00Z").plusSeconds(i)).scope(DecisionScope.CONTRACT_NEGOTIATION)
                .counterpartyId("did:web:vendor.example").assetId("asset-" + i).outcome(outcome)
                .reasons(List.of(new ConstraintReason("consumerJurisdiction", outcome, outcome == DecisionOutcome.DENY
                        ? "jurisdiction: consumer country JP is not in EU_EEA" : "jurisdiction: consumer country DE is in EU_EEA"))).build();
    }

    private static String status(String url) {
        try {
            var answer = get(url);
            return answer.statusCode() + " " + answer.body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return send(url, "GET", null);
    }

    private static HttpResponse<String> send(String url, String method, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
