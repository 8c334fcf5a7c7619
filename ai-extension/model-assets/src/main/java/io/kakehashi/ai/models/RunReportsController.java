package io.kakehashi.ai.models;

import io.kakehashi.core.spi.web.JwsBodyReader;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.util.Map;

/**
 * Receives a holder's run reports on the protocol context: {@code POST /kakehashi/model-runs/v1/reports} with
 * {@code {"report": "<compact JWS>"}}. 200 {@code {"kept": true, "run": n, "beyondLimit": …}} when kept (also for the
 * same report again); 400 / 403 / 409 naming the problem ({@link RunReportReceiver}), 413 over 64 KiB, each in EDC's
 * error shape. Thread-safe.
 */
@Path(RunReportsController.PATH)
public class RunReportsController {

    public static final String PATH = "/kakehashi/model-runs/v1/reports";
    static final int MAX_BYTES = 64 * 1024;
    private static final JwsBodyReader BODY = new JwsBodyReader("report", MAX_BYTES);

    private final RunReportReceiver receiver;

    public RunReportsController(RunReportReceiver receiver) {
        this.receiver = receiver;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(InputStream body) {
        var read = BODY.read(body);
        if (read.failed()) {
            return Response.status(read.problem().status()).type(MediaType.APPLICATION_JSON).entity(read.problem().body()).build();
        }
        var kept = receiver.receive(read.jws());
        if (kept.failed()) {
            return ModelsApiController.problem(kept);
        }
        return Response.ok(Map.of("kept", true, "run", kept.getContent().run(), "beyondLimit", kept.getContent().beyondLimit()),
                MediaType.APPLICATION_JSON).build();
    }
}
