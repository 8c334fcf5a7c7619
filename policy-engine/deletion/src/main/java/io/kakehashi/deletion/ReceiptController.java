package io.kakehashi.deletion;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Receives consumers' deletion receipts on the protocol context, beside DSP: {@code POST /kakehashi/deletion/v1/receipts}
 * with {@code {"receipt": "<compact JWS>"}}. 200 kept (or kept before), 400 malformed or not about an agreement this
 * connector provides, 403 not from the agreement's consumer or a signature that does not verify, 409 another receipt
 * for the agreement is kept, 413 over {@value #MAX_BYTES} bytes. The receipt authenticates itself (its signature), so
 * the endpoint takes no token. Thread-safe.
 */
@Path(ReceiptSender.PATH)
public class ReceiptController {

    static final int MAX_BYTES = 1 << 20;

    private final ReceiptAcceptance acceptance;
    private final ObjectMapper mapper;

    public ReceiptController(ReceiptAcceptance acceptance, ObjectMapper mapper) {
        this.acceptance = acceptance;
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(InputStream body) {
        byte[] bytes;
        try {
            bytes = body.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            return error(400, "the body cannot be read");
        }
        if (bytes.length > MAX_BYTES) {
            return error(413, "a deletion receipt is at most %d bytes".formatted(MAX_BYTES));
        }
        String receipt;
        try {
            var node = mapper.readTree(new String(bytes, StandardCharsets.UTF_8));
            if (node == null || !node.isObject() || node.size() != 1 || !node.path("receipt").isTextual()) {
                return error(400, "the body must be {\"receipt\": \"<compact JWS>\"}");
            }
            receipt = node.get("receipt").asText();
        } catch (IOException e) {
            return error(400, "the body is not JSON");
        }
        var outcome = acceptance.accept(receipt);
        if (outcome.refusal() != null) {
            return error(outcome.refusal().status(), outcome.refusal().message());
        }
        var answer = mapper.createObjectNode().put("kept", true).put("agreementId", outcome.kept().protocolAgreementId())
                .put("receiptSha256", outcome.kept().receiptSha256());
        return Response.ok(answer.toString(), MediaType.APPLICATION_JSON).build();
    }

    private Response error(int status, String message) {
        var body = mapper.createArrayNode();
        body.addObject().put("message", message).put("type", status == 413 ? "PayloadTooLarge" : status == 403 ? "Forbidden" : "BadRequest");
        return Response.status(status).entity(body.toString()).type(MediaType.APPLICATION_JSON).build();
    }
}
