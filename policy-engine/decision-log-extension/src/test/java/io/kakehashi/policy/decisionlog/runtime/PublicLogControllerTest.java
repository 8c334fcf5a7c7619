package io.kakehashi.policy.decisionlog.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.kakehashi.policy.decisionlog.CheckpointKeyHistory;
import io.kakehashi.policy.decisionlog.CheckpointSchedule;
import io.kakehashi.policy.decisionlog.CheckpointSigner;
import io.kakehashi.policy.decisionlog.CheckpointingDecisionRecorder;
import io.kakehashi.policy.decisionlog.Cosignatures;
import io.kakehashi.policy.decisionlog.FileCheckpointStore;
import io.kakehashi.policy.decisionlog.FileDecisionLogStore;
import io.kakehashi.policy.decisionlog.FileWitnessStore;
import io.kakehashi.policy.decisionlog.SignedTreeHeads;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.decisionlog.spi.WitnessRecord.Kind;
import jakarta.ws.rs.core.Response;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public decision-log endpoints a peer reaches without the auditor key: bounded parameters with a 400 naming
 * them, nothing beyond the signed size, and countersignatures kept only for this connector's own heads from a witness
 * it can name.
 */
class PublicLogControllerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Monitor MONITOR = new Monitor() { };

    @TempDir
    Path directory;
    private ECKey key;
    private ECKey witnessKey;
    private FileDecisionLogStore store;
    private FileCheckpointStore checkpoints;
    private FileWitnessStore witness;
    private PublicLogController controller;

    @BeforeEach
    void setUp() throws Exception {
        key = new ECKeyGenerator(Curve.P_256).keyID("maker-key").generate();
        witnessKey = new ECKeyGenerator(Curve.P_256).keyID("vendor-key").generate();
        store = FileDecisionLogStore.open(directory.resolve("decisions.jsonl"), MONITOR);
        checkpoints = FileCheckpointStore.open(directory.resolve("checkpoints.jsonl"), MONITOR);
        witness = FileWitnessStore.open(directory.resolve("witness.jsonl"), MONITOR);
        CheckpointKeyHistory.take(checkpoints, key, kid -> Optional.empty(), Instant.now());
        var recorder = new CheckpointingDecisionRecorder(store, checkpoints, new CheckpointSigner(key, Clock.systemUTC()),
                new CheckpointSchedule(4, Duration.ofHours(1)), Clock.systemUTC());
        for (int i = 0; i < 10; i++) {
            recorder.record(DecisionEntry.builder().time(Instant.parse("2026-12-07T00:00:00Z").plusSeconds(i)).scope(DecisionScope.CATALOG)
                    .counterpartyId("did:web:vendor.example").outcome(DecisionOutcome.PERMIT)
                    .reasons(List.of(new ConstraintReason("purpose", DecisionOutcome.PERMIT, "ok"))).build());
        }
        var known = SignedTreeHeads.thumbprint(witnessKey);
        controller = new PublicLogController(store, checkpoints, witness,
                cosignature -> SignedTreeHeads.thumbprint(cosignature.witnessKey()).equals(known) ? Optional.empty() : Optional.of("the witness is not known"),
                Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        store.close();
        checkpoints.close();
        witness.close();
    }

    @Test
    void treeHead_shouldBeTheLatestSignedHead_whichVerifiesWithTheKey() throws Exception {
        var body = body(controller.treeHead());
        assertThat(body.get("treeSize").asLong()).isEqualTo(8);
        var head = SignedTreeHeads.verify(body.get("signedTreeHead").asText(), key.toPublicJWK());
        assertThat(head.treeRoot()).isEqualTo(body.get("rootHash").asText());
    }

    @Test
    void consistencyProof_whenParametersAreBadOrBeyondTheSignedHead_shouldBe400NamingThem() throws Exception {
        assertThat(controller.consistencyProof(Map.of("from", List.of("4"), "to", List.of("8"))).getStatus()).isEqualTo(200);
        // entries 9 and 10 exist but no head covers them: a stranger learns no unsigned size
        assertBadRequest(controller.consistencyProof(Map.of("from", List.of("4"), "to", List.of("10"))), "beyond the latest signed tree head");
        assertBadRequest(controller.consistencyProof(Map.of("from", List.of("x"), "to", List.of("8"))), "'from'");
        assertBadRequest(controller.consistencyProof(Map.of("from", List.of("0"), "to", List.of("8"))), "'from'");
        assertBadRequest(controller.consistencyProof(Map.of("from", List.of("5"), "to", List.of("4"))), "after");
        assertBadRequest(controller.consistencyProof(Map.of("to", List.of("4"))), "'from'");
        assertBadRequest(controller.consistencyProof(Map.of("from", List.of("1", "2"), "to", List.of("4"))), "more than once");
        assertBadRequest(controller.consistencyProof(Map.of("from", List.of("1"), "to", List.of("4"), "x", List.of("1"))), "unknown query parameter");
    }

    @Test
    void treeHead_whenNoHeadIsSignedYet_shouldBe404InEdcsErrorShape() throws Exception {
        var empty = FileCheckpointStore.open(directory.resolve("none.jsonl"), MONITOR);
        try {
            var fresh = new PublicLogController(store, empty, witness, cosignature -> Optional.empty(), Clock.systemUTC());
            assertRefused(fresh.treeHead(), 404, "ObjectNotFound", "no signed tree head yet");
        } finally {
            empty.close();
        }
    }

    @Test
    void receive_whenAKnownWitnessCountersignsOwnHead_shouldKeepItOnce() throws Exception {
        var head = checkpoints.latest().orElseThrow();
        var cosignature = Cosignatures.sign(witnessKey, head, SignedTreeHeads.thumbprint(key), Instant.now());
        assertThat(receive("{\"cosignature\":\"" + cosignature + "\"}").getStatus()).isEqualTo(200);
        assertThat(receive("{\"cosignature\":\"" + cosignature + "\"}").getStatus()).isEqualTo(200);
        assertThat(witness.all()).singleElement().satisfies(record -> {
            assertThat(record.kind()).isEqualTo(Kind.RECEIVED);
            assertThat(record.peer()).isEqualTo("vendor-key");
            assertThat(record.headJws()).isEqualTo(head.jws());
        });
    }

    @Test
    void receive_whenNotACountersignatureOfOwnHeadByAKnownWitness_shouldRefuseAndKeepNothing() throws Exception {
        var head = checkpoints.latest().orElseThrow();
        var stranger = new ECKeyGenerator(Curve.P_256).keyID("stranger").generate();
        assertRefused(receive("{\"cosignature\":\"" + Cosignatures.sign(stranger, head, SignedTreeHeads.thumbprint(key), Instant.now()) + "\"}"),
                403, "Forbidden", "the witness is not known");
        var otherLog = Cosignatures.sign(witnessKey, head, SignedTreeHeads.thumbprint(stranger), Instant.now());
        assertBadRequest(receive("{\"cosignature\":\"" + otherLog + "\"}"), "names no tree head this connector signed");
        var notOurs = new CheckpointSigner(key, Clock.systemUTC()).sign(new io.kakehashi.policy.decisionlog.spi.ChainHead(8, "e".repeat(64)), "a".repeat(64));
        assertBadRequest(receive("{\"cosignature\":\"" + Cosignatures.sign(witnessKey, notOurs, SignedTreeHeads.thumbprint(key), Instant.now()) + "\"}"),
                "names no tree head");
        assertBadRequest(receive("{\"cosignature\":\"a.b.c\"}"), "countersignature");
        assertBadRequest(receive("{\"cosignature\":1}"), "must be");
        assertBadRequest(receive("not json"), "not JSON");
        assertRefused(receive("{\"cosignature\":\"" + "a".repeat(PublicLogController.MAX_COSIGNATURE_BYTES) + "\"}"), 413, "PayloadTooLarge",
                "larger than 16384 bytes");
        var genuine = Cosignatures.sign(witnessKey, head, SignedTreeHeads.thumbprint(key), Instant.now());
        assertBadRequest(receive("{\"cosignature\":\"" + genuine + "\",\"cosignature\":\"" + genuine + "\"}"), "more than once");
        assertBadRequest(receive("{\"cosignature\":\"" + genuine + "\",\"extra\":1}"), "another member");
        assertBadRequest(receive("{\"cosignature\":\"" + genuine + "\"} {}"), "more than one JSON value");
        assertBadRequest(receive("{\"cosignature\":\" " + genuine + "\"}"), "not a compact JWS");
        assertThat(witness.all()).isEmpty();
    }

    private Response receive(String body) {
        return controller.receive(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode body(Response response) throws Exception {
        return MAPPER.readTree((String) response.getEntity());
    }

    private static void assertBadRequest(Response response, String mentioning) throws Exception {
        assertRefused(response, 400, "BadRequest", mentioning);
    }

    /** Every refusal of the public log has EDC's error shape, {@code [{"message", "type"}]}, as DSP's have. */
    private static void assertRefused(Response response, int status, String type, String mentioning) throws Exception {
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getMediaType()).hasToString("application/json");
        var body = body(response);
        assertThat(body.isArray()).as("an array: %s", body).isTrue();
        assertThat(body).hasSize(1);
        assertThat(body.get(0).get("type").asText()).isEqualTo(type);
        assertThat(body.get(0).get("message").asText()).contains(mentioning);
    }
}
