package io.kakehashi.policy.decisionlog.runtime;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.policy.decisionlog.ChainVerifier;
import io.kakehashi.policy.decisionlog.FileCheckpointStore;
import io.kakehashi.policy.decisionlog.FileDecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import io.kakehashi.policy.decisionlog.spi.VerificationResult.Problem;
import io.kakehashi.testfixtures.RuntimeSettings;
import org.eclipse.edc.junit.annotations.ComponentTest;
import org.eclipse.edc.junit.extensions.EmbeddedRuntime;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No unsigned tail at shutdown (issue 21): a connector that records decisions and stops, long before its tail timer
 * or its count would sign, leaves a checkpoint of its head; a DENY turned into a PERMIT afterwards, re-chained without
 * the key, is then found by the verifier.
 */
@ComponentTest
class CheckpointAtShutdownRuntimeTest {

    @TempDir
    Path directory;

    @Test
    void shutdown_shouldSignTheHead_soThatAnEditedLastEntryIsFound() throws Exception {
        var settings = new RuntimeSettings("shutdown-signs", "checkpoint-at-shutdown-test-key");
        settings.put("kakehashi.decisionlog.dir", directory.toString());
        settings.put("kakehashi.outbox.dir", directory.resolve("outbox").toString());
        settings.put("kakehashi.decisionlog.checkpoint.within", "PT1H");
        var key = new ECKeyGenerator(Curve.P_256).keyID("test-key").generate();
        var runtime = new EmbeddedRuntime("shutdown-signs", new URL[0])
                .configurationProvider(() -> ConfigFactory.fromMap(settings.asMap()))
                .registerServiceMock(ConnectorSigningKey.class, () -> key);
        runtime.boot(false);
        StoredDecision last;
        try {
            var recorder = runtime.getService(DecisionRecorder.class);
            for (int i = 0; i < 3; i++) {
                assertThat(recorder.record(deny(i)).succeeded()).isTrue();
            }
            last = recorder.record(deny(3)).getContent();
            assertThat(Files.readAllLines(directory.resolve("checkpoints.jsonl"))).isEmpty();
        } finally {
            runtime.shutdown();
        }

        var monitor = new Monitor() { };
        try (var store = FileDecisionLogStore.open(directory.resolve("decisions.jsonl"), monitor);
             var checkpoints = FileCheckpointStore.open(directory.resolve("checkpoints.jsonl"), monitor)) {
            assertThat(checkpoints.latest()).hasValueSatisfying(checkpoint -> {
                assertThat(checkpoint.sequence()).isEqualTo(last.sequence());
                assertThat(checkpoint.headHash()).isEqualTo(last.hash());
                assertThat(checkpoint.treeRoot()).isNotNull();
            });
            assertThat(ChainVerifier.verifyWithHistory(store, checkpoints.all(), checkpoints.keys()).intact()).isTrue();
        }

        // the operator turns the last DENY into a PERMIT and re-chains it, which needs no key
        var lines = new ArrayList<>(Files.readAllLines(directory.resolve("decisions.jsonl")));
        var index = lines.size() - 1;
        var stored = io.kakehashi.policy.decisionlog.DecisionJson.stored(lines.get(index));
        var permit = DecisionEntry.builder().time(stored.entry().time()).scope(stored.entry().scope()).counterpartyId(stored.entry().counterpartyId())
                .outcome(DecisionOutcome.PERMIT).reasons(List.of()).build();
        lines.set(index, io.kakehashi.policy.decisionlog.DecisionJson.storedLine(new StoredDecision(stored.sequence(), stored.previousHash(),
                io.kakehashi.policy.decisionlog.HashChain.hash(stored.previousHash(), stored.sequence(), permit), permit)));
        Files.write(directory.resolve("decisions.jsonl"), lines);

        try (var store = FileDecisionLogStore.open(directory.resolve("decisions.jsonl"), monitor);
             var checkpoints = FileCheckpointStore.open(directory.resolve("checkpoints.jsonl"), monitor)) {
            assertThat(ChainVerifier.verify(store).intact()).as("the chain alone cannot tell").isTrue();
            var result = ChainVerifier.verifyWithHistory(store, checkpoints.all(), checkpoints.keys());
            assertThat(result.intact()).isFalse();
            assertThat(result.position()).isEqualTo(last.sequence());
            assertThat(result.problem()).isEqualTo(Problem.CHECKPOINT_NOT_IN_CHAIN);
        }
    }

    private static DecisionEntry deny(int i) {
        return DecisionEntry.builder().time(Instant.parse("2026-12-06T00:00:00Z").plusSeconds(i)).scope(DecisionScope.CONTRACT_NEGOTIATION)
                .counterpartyId("did:web:vendor.example").assetId("asset-" + i).outcome(DecisionOutcome.DENY)
                .reasons(List.of(new ConstraintReason("consumerJurisdiction", DecisionOutcome.DENY, "jurisdiction: consumer country JP is not in EU_EEA"))).build();
    }
}
