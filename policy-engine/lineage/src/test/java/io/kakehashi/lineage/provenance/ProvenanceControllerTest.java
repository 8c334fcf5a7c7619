package io.kakehashi.lineage.provenance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProvenanceControllerTest {

    private static final String EXPORTER = "did:web:127.0.0.1%3A8002:integrator";
    private static final String RECIPIENT = "did:web:127.0.0.1%3A8001:maker";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ECKey exporterKey = key(EXPORTER);
    private final ContractAgreement agreement = ContractAgreement.Builder.newInstance().id("local-1").agreementId("shared-1").providerId(EXPORTER)
            .consumerId(RECIPIENT).assetId("spindle-report").contractSigningDate(0).policy(Policy.Builder.newInstance().build()).build();
    private final ProvenanceStore store = new ProvenanceStore();
    private final ProvenanceController controller = new ProvenanceController(RECIPIENT, id -> "shared-1".equals(id) ? agreement : null,
            (participant, keyId) -> keyId.equals(exporterKey.getKeyID()) && participant.equals(EXPORTER) ? Result.success(exporterKey.toPublicJWK())
                    : Result.failure("the DID document of %s has no key '%s'".formatted(participant, keyId)), store, MAPPER);

    private static ECKey key(String did) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(did + "#key-1").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> payload(String agreementId) {
        var source = new LinkedHashMap<String, Object>();
        source.put("lineageId", "transfer-1");
        source.put("kind", "FILE");
        source.put("sha256", "a".repeat(64));
        source.put("agreementId", "upstream-1");
        source.put("providerId", RECIPIENT);
        source.put("modelRights", "joint");
        var payload = new LinkedHashMap<String, Object>();
        payload.put("assetId", "spindle-report");
        payload.put("exporterId", EXPORTER);
        payload.put("recipientId", RECIPIENT);
        payload.put("agreementId", agreementId);
        payload.put("issuedAt", "2026-12-07T00:00:00Z");
        payload.put("sources", List.of(source));
        return payload;
    }

    private int post(String statement) {
        var body = MAPPER.createObjectNode().put("statement", statement).toString();
        return controller.receive(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))).getStatus();
    }

    @Test
    void receive_whenSignedByTheAgreementsProvider_shouldKeepIt() {
        assertThat(post(ProvenanceStatements.sign(payload("shared-1"), exporterKey))).isEqualTo(200);

        assertThat(store.byAgreement("local-1")).singleElement().satisfies(kept -> assertThat(kept.payload().get("sources").toString()).contains("joint"));
    }

    @Test
    void receive_whenForgedOrForAnUnknownAgreement_shouldRefuseAndKeepNothing() {
        assertThat(post(ProvenanceStatements.sign(payload("shared-1"), key(EXPORTER)))).isEqualTo(403);
        assertThat(post(ProvenanceStatements.sign(payload("no-such-agreement"), exporterKey))).isEqualTo(400);
        assertThat(post("not-a-jws")).isEqualTo(400);

        assertThat(store.byAgreement("local-1")).isEmpty();
    }

    @Test
    void receive_whenTheBodyIsMalformedOrTooLarge_shouldAnswerInEdcsErrorShape() throws Exception {
        var genuine = ProvenanceStatements.sign(payload("shared-1"), exporterKey);

        assertRefused("{\"statement\":\"" + genuine + "\",\"statement\":\"" + genuine + "\"}", 400, "BadRequest", "more than once");
        assertRefused("{\"statement\":\"" + genuine + "\",\"extra\":1}", 400, "BadRequest", "another member");
        assertRefused("[]", 400, "BadRequest", "it is an array");
        assertRefused("{\"statement\":\"" + "a".repeat(ProvenanceController.MAX_BYTES) + "\"}", 413, "PayloadTooLarge", "larger than");
        assertRefused("{\"statement\":\"" + ProvenanceStatements.sign(payload("shared-1"), key(EXPORTER)) + "\"}", 403, "Forbidden", "does not verify");
        assertThat(store.byAgreement("local-1")).isEmpty();
    }

    private void assertRefused(String body, int status, String type, String mentioning) throws Exception {
        var response = controller.receive(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(response.getStatus()).isEqualTo(status);
        var answer = MAPPER.readTree((String) response.getEntity());
        assertThat(answer.isArray()).as("an array: %s", answer).isTrue();
        assertThat(answer.get(0).get("type").asText()).isEqualTo(type);
        assertThat(answer.get(0).get("message").asText()).contains(mentioning);
    }
}
