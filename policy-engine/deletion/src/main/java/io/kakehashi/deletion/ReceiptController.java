package io.kakehashi.deletion;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.core.spi.web.HttpProblem;
import io.kakehashi.core.spi.web.JwsBodyReader;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;

/**
 * Receives consumers' deletion receipts on the protocol context, beside DSP: {@code POST /kakehashi/deletion/v1/receipts}
 * with {@code {"receipt": "<compact JWS>"}}. 200 kept (or kept before), 400 malformed or not about an agreement this
 * connector provides, 403 not from the agreement's consumer or a signature that does not verify, 409 another receipt
 * for the agreement is kept, 413 over {@value #MAX_BYTES} bytes. The receipt authenticates itself (its signature), so
 * the endpoint takes no token. Every refusal has EDC's error shape ({@link HttpProblem}). Thread-safe.
 */
@Path(ReceiptSender.PATH)
public class ReceiptController {

    static final int MAX_BYTES = 1 << 20;
    private static final JwsBodyReader RECEIPT_BODY = new JwsBodyReader("receipt", MAX_BYTES);

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
        var read = RECEIPT_BODY.read(body);
        if (read.failed()) {
            return answer(read.problem());
        }
        var receipt = read.jws();
        var outcome = acceptance.accept(receipt);
        if (outcome.refusal() != null) {
            return answer(HttpProblem.of(outcome.refusal().status(), outcome.refusal().message()));
        }
        var answer = mapper.createObjectNode().put("kept", true).put("agreementId", outcome.kept().protocolAgreementId())
                .put("receiptSha256", outcome.kept().receiptSha256());
        return Response.ok(answer.toString(), MediaType.APPLICATION_JSON).build();
    }

    private static Response answer(HttpProblem problem) {
        return Response.status(problem.status()).type(MediaType.APPLICATION_JSON).entity(problem.body()).build();
    }
}
