package io.kakehashi.policy.auditor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.policy.decisionlog.CheckpointKeyHistory;
import io.kakehashi.policy.decisionlog.CheckpointSigner;
import io.kakehashi.policy.decisionlog.DecisionLogTree;
import io.kakehashi.policy.decisionlog.EvidenceBundle;
import io.kakehashi.policy.decisionlog.FileCheckpointStore;
import io.kakehashi.policy.decisionlog.FileDecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import jakarta.ws.rs.core.Response;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.entry;
import static io.kakehashi.policy.decisionlog.DecisionLogTestFixtures.newKey;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/export/agreements/{agreementId}/bundle}: the evidence bundle of one agreement, by its DSP or local id,
 * that the offline verifier accepts; 404 for an agreement no entry names, 409 before a signed tree head covers its
 * entries, 400 for an id that cannot be one. Authentication is the auditor context's, as for every other resource
 * (tested end to end in samples/machine-tool-data).
 */
class AuditorApiBundleTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ECKey KEY = newKey("did:web:maker.example#key-1");

    @TempDir
    Path directory;
    private FileDecisionLogStore store;
    private FileCheckpointStore checkpoints;
    private AuditorApiController controller;

    @BeforeEach
    void setUp() {
        store = FileDecisionLogStore.open(directory.resolve("decisions.jsonl"), new Monitor() { });
        checkpoints = FileCheckpointStore.open(directory.resolve("checkpoints.jsonl"), new Monitor() { });
        controller = new AuditorApiController(store, checkpoints, KEY::toPublicJWK);
        // agreement-(i % 3): agreement-0 is named by entries 1, 4, 7 and 10
        for (var i = 0; i < 12; i++) {
            store.append(entry(i));
        }
        checkpoints.saveKey(CheckpointKeyHistory.introduce(KEY, Optional.empty(), Optional.empty(), Clock.systemUTC().instant()));
        checkpoints.save(new CheckpointSigner(KEY, Clock.systemUTC()).sign(store.head(), new DecisionLogTree(store).root(12)));
    }

    @AfterEach
    void tearDown() {
        store.close();
        checkpoints.close();
    }

    @Test
    void exportBundle_whenAnAgreementHasDecisions_shouldAnswerABundleTheOfflineVerifierAccepts() throws Exception {
        var response = controller.exportBundle("agreement-0");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaderString("Content-Disposition")).isEqualTo("attachment; filename=\"evidence-bundle-agreement-0.json\"");
        var bundle = (String) response.getEntity();
        var verification = EvidenceBundle.verify(bundle, Optional.of(KEY.toPublicJWK()));
        assertThat(verification.intact()).as(verification.problem()).isTrue();
        assertThat(verification.content().entries()).extracting(entry -> entry.stored().sequence()).containsExactly(1L, 4L, 7L, 10L);
        assertThat(MAPPER.readTree(bundle).at("/summary/ja/0").asText()).startsWith("契約 agreement-0");
    }

    @Test
    void exportBundle_whenNoEntryNamesTheAgreement_shouldBeNotFound() throws Exception {
        var response = controller.exportBundle("no-such-agreement");

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(MAPPER.readTree((String) response.getEntity()).get("message").asText()).contains("no-such-agreement");
    }

    @Test
    void exportBundle_whenNoSignedTreeHeadCoversTheEntriesYet_shouldBeAConflictSayingToAskAgain() throws Exception {
        store.append(DecisionEntry.builder().time(Instant.parse("2026-11-23T10:00:00Z")).scope(DecisionScope.CONTRACT_NEGOTIATION)
                .counterpartyId("did:web:vendor.example").agreementId("agreement-new").outcome(DecisionOutcome.PERMIT).build());

        var response = controller.exportBundle("agreement-new");

        assertThat(response.getStatus()).isEqualTo(409);
        assertThat(MAPPER.readTree((String) response.getEntity()).get("message").asText()).contains("ask again");
    }

    @Test
    void exportBundle_whenTheIdIsBlankOrTooLong_shouldBeABadRequest() {
        assertThat(controller.exportBundle(" ").getStatus()).isEqualTo(Response.Status.BAD_REQUEST.getStatusCode());
        assertThat(controller.exportBundle("a".repeat(513)).getStatus()).isEqualTo(Response.Status.BAD_REQUEST.getStatusCode());
    }
}
