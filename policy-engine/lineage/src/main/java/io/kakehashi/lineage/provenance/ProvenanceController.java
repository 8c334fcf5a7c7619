package io.kakehashi.lineage.provenance;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.core.spi.web.HttpProblem;
import io.kakehashi.core.spi.web.JwsBodyReader;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;

import java.io.InputStream;
import java.util.function.Function;

/**
 * Receives provenance statements on the protocol context: {@code POST /kakehashi/provenance/v1/statements} with
 * {@code {"statement": "<compact JWS>"}}. Kept (200) only when it reads, names an agreement under which this connector
 * is the consumer and the signer the provider, for that agreement's asset, and verifies with the key the provider's
 * DID document publishes; 400 / 403 naming the problem otherwise, 413 over 1 MiB, each in EDC's error shape
 * ({@link HttpProblem}). Thread-safe.
 */
@Path(ProvenanceSender.PATH)
public class ProvenanceController {

    static final int MAX_BYTES = 1 << 20;
    private static final JwsBodyReader STATEMENT_BODY = new JwsBodyReader("statement", MAX_BYTES);

    private final String participantId;
    private final Function<String, ContractAgreement> agreements;
    private final SignerKeys keys;
    private final ProvenanceStore store;
    private final ObjectMapper mapper;

    /** @param agreements finds an agreement by the protocol's (or this connector's) id, null when there is none */
    public ProvenanceController(String participantId, Function<String, ContractAgreement> agreements, SignerKeys keys, ProvenanceStore store, ObjectMapper mapper) {
        this.participantId = participantId;
        this.agreements = agreements;
        this.keys = keys;
        this.store = store;
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(InputStream body) {
        var received = STATEMENT_BODY.read(body);
        if (received.failed()) {
            return answer(received.problem());
        }
        var statement = received.jws();
        var read = ProvenanceStatements.read(statement);
        if (read.failed()) {
            return error(400, read.getFailureDetail());
        }
        var agreement = agreements.apply(read.getContent().text("agreementId"));
        if (agreement == null || !participantId.equals(agreement.getConsumerId()) || !participantId.equals(read.getContent().text("recipientId"))) {
            return error(400, "agreement '%s' is not an agreement under which this connector receives".formatted(read.getContent().text("agreementId")));
        }
        if (!agreement.getProviderId().equals(read.getContent().text("exporterId")) || !agreement.getAssetId().equals(read.getContent().text("assetId"))) {
            return error(403, "the statement's exporter or asset is not the agreement's provider or asset");
        }
        var key = keys.find(agreement.getProviderId(), read.getContent().keyId());
        if (key.failed()) {
            return error(403, key.getFailureDetail());
        }
        if (!ProvenanceStatements.verifies(read.getContent(), key.getContent())) {
            return error(403, "the statement's signature does not verify with the provider's key '%s'".formatted(read.getContent().keyId()));
        }
        store.keep(new ProvenanceStore.Kept(agreement.getId(), statement, read.getContent().payload()));
        return Response.ok(mapper.createObjectNode().put("kept", true).toString(), MediaType.APPLICATION_JSON).build();
    }

    private static Response error(int status, String message) {
        return answer(HttpProblem.of(status, message));
    }

    private static Response answer(HttpProblem problem) {
        return Response.status(problem.status()).type(MediaType.APPLICATION_JSON).entity(problem.body()).build();
    }
}
