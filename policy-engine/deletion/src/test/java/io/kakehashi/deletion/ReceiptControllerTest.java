package io.kakehashi.deletion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.lineage.provenance.SignerKeys;
import jakarta.ws.rs.core.Response;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static io.kakehashi.deletion.DeletionTestFixtures.CONSUMER;
import static io.kakehashi.deletion.DeletionTestFixtures.PROVIDER;
import static io.kakehashi.deletion.DeletionTestFixtures.agreement;
import static io.kakehashi.deletion.DeletionTestFixtures.at;
import static io.kakehashi.deletion.DeletionTestFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public endpoint consumers post deletion receipts to: the body read by core-spi's reader, every refusal in EDC's
 * error shape ({@code [{"message", "type"}]}) like the decision log's public endpoints, nothing kept on a refusal.
 */
class ReceiptControllerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-31T00:01:00Z");

    @TempDir
    Path dir;

    private final ECKey consumerKey = key(CONSUMER);
    private DeletionStore store;
    private ReceiptController controller;

    @BeforeEach
    void setUp() {
        store = new FileDeletionStore(dir, MAPPER);
        SignerKeys keys = (participant, keyId) -> keyId.equals(consumerKey.getKeyID())
                ? Result.success(consumerKey.toPublicJWK()) : Result.failure("the DID document of %s has no key '%s'".formatted(participant, keyId));
        var agreement = agreement("agreement-1", "P30D");
        var acceptance = new ReceiptAcceptance(PROVIDER, id -> id.equals("shared-agreement-1") ? agreement : null, keys,
                new DeletionTestFixtures.RecordedDecisions(), store, at(NOW));
        controller = new ReceiptController(acceptance, MAPPER);
    }

    @Test
    void receive_whenSignedByTheConsumer_shouldKeepIt() throws Exception {
        var response = receive("{\"receipt\":\"" + signed(CONSUMER, consumerKey) + "\"}");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(body(response).get("kept").asBoolean()).isTrue();
        assertThat(store.all()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[1,2]", "{}", "{\"receipt\":1}", "{\"receipt\":\"not-a-jws\"}", "{\"receipt\":\"a.b.c\",\"extra\":1}", "not json"})
    void receive_whenTheBodyIsMalformed_shouldBe400InEdcsErrorShape(String text) throws Exception {
        assertRefused(receive(text), 400, "BadRequest");
        assertThat(store.all()).isEmpty();
    }

    @Test
    void receive_whenTheMemberIsGivenTwice_shouldBe400RatherThanKeepTheLast() throws Exception {
        var genuine = signed(CONSUMER, consumerKey);

        assertRefused(receive("{\"receipt\":\"x.y.z\",\"receipt\":\"" + genuine + "\"}"), 400, "BadRequest");
        assertThat(store.all()).isEmpty();
    }

    @Test
    void receive_whenOverTheLimit_shouldBe413InEdcsErrorShape() throws Exception {
        var message = assertRefused(receive("{\"receipt\":\"" + "a".repeat(ReceiptController.MAX_BYTES) + "\"}"), 413, "PayloadTooLarge");

        assertThat(message).isEqualTo("the body is larger than %d bytes".formatted(ReceiptController.MAX_BYTES));
    }

    @Test
    void receive_whenRefusedAfterReading_shouldAnswerTheSameShape() throws Exception {
        var forged = receive("{\"receipt\":\"" + signed(CONSUMER, key(CONSUMER)) + "\"}");
        assertThat(assertRefused(forged, 403, "Forbidden")).contains("does not verify");

        receive("{\"receipt\":\"" + signed(CONSUMER, consumerKey) + "\"}");
        var second = DeletionReceipts.sign(new DeletionReceipt("shared-agreement-1", "operation-data", PROVIDER, CONSUMER,
                DeletionReceipt.TERMINATION, null, NOW, List.of()), consumerKey);
        assertRefused(receive("{\"receipt\":\"" + second + "\"}"), 409, "ObjectConflict");
    }

    private String signed(String consumer, ECKey signer) {
        return DeletionReceipts.sign(new DeletionReceipt("shared-agreement-1", "operation-data", PROVIDER, consumer, DeletionReceipt.DEADLINE,
                Instant.parse("2026-12-31T00:00:00Z"), Instant.parse("2026-12-31T00:00:05Z"),
                List.of(new DeletionReceipt.Item("transfer-1", "FILE", "b".repeat(64), true))), signer);
    }

    private Response receive(String body) {
        return controller.receive(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode body(Response response) throws Exception {
        return MAPPER.readTree((String) response.getEntity());
    }

    /** @return the refusal's message */
    private static String assertRefused(Response response, int status, String type) throws Exception {
        assertThat(response.getStatus()).isEqualTo(status);
        var body = body(response);
        assertThat(body.isArray()).as("an array: %s", body).isTrue();
        assertThat(body).hasSize(1);
        assertThat(body.get(0).get("type").asText()).isEqualTo(type);
        return body.get(0).get("message").asText();
    }
}
