package io.kakehashi.identity.dcp.holder;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.edc.spi.monitor.Monitor;

import java.util.Map;

/**
 * The DCP {@code POST /presentations/query} endpoint of the embedded credential service. A refused query is a 401
 * (403 when it asks beyond its access token, 400 when malformed) without details; the reason goes to the log, never a
 * token.
 */
@Path("/presentations")
public class PresentationQueryController {

    private final PresentationService service;
    private final Monitor monitor;

    public PresentationQueryController(PresentationService service, Monitor monitor) {
        this.service = service;
        this.monitor = monitor;
    }

    @POST
    @Path("query")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response query(@HeaderParam("Authorization") String authorization, Map<String, Object> message) {
        var status = new int[] { 401 };
        var result = service.query(authorization, message, refused -> {
            status[0] = switch (refused.kind()) {
                case BAD_REQUEST -> 400;
                case FORBIDDEN -> 403;
                case UNAUTHORIZED -> 401;
            };
            monitor.warning("Refused a presentation query: " + refused.reason());
        });
        if (result.failed()) {
            return Response.status(status[0]).build();
        }
        return Response.ok(result.getContent(), MediaType.APPLICATION_JSON).build();
    }
}
