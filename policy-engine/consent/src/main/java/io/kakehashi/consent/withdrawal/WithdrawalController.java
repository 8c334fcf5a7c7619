package io.kakehashi.consent.withdrawal;

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
 * Receives providers' withdrawal notices on the protocol context, beside DSP: {@code POST /kakehashi/consent/v1/withdrawals}
 * with {@code {"notice": "<compact JWS>"}}; answers 200 {@code {"receipt": "<compact JWS>"}} (the signed deletion
 * receipt, cause {@code consent-withdrawn}), 400 malformed or not about an agreement this connector consumes, 403 not
 * from the agreement's provider or a signature that does not verify, 413 over {@value #MAX_BYTES} bytes, 503 when the
 * deletion could not be done or recorded (send again). The notice authenticates itself, so the endpoint takes no token.
 * Every refusal has EDC's error shape. Thread-safe.
 */
@Path(WithdrawalController.PATH)
public class WithdrawalController {

    /** The path under the consumer's protocol context. */
    public static final String PATH = "/kakehashi/consent/v1/withdrawals";
    static final int MAX_BYTES = 1 << 16;
    private static final JwsBodyReader NOTICE_BODY = new JwsBodyReader("notice", MAX_BYTES);

    private final SubjectRecordsDeletion deletion;
    private final ObjectMapper mapper;

    public WithdrawalController(SubjectRecordsDeletion deletion, ObjectMapper mapper) {
        this.deletion = deletion;
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(InputStream body) {
        var read = NOTICE_BODY.read(body);
        if (read.failed()) {
            return answer(read.problem());
        }
        var outcome = deletion.accept(read.jws());
        if (outcome.receipt() == null) {
            return answer(HttpProblem.of(outcome.status(), outcome.message()));
        }
        return Response.ok(mapper.createObjectNode().put("receipt", outcome.receipt()).toString(), MediaType.APPLICATION_JSON).build();
    }

    private static Response answer(HttpProblem problem) {
        return Response.status(problem.status()).type(MediaType.APPLICATION_JSON).entity(problem.body()).build();
    }
}
