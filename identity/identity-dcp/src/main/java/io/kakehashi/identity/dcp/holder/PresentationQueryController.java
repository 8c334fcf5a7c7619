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
 * The DCP {@code POST /presentations/query} endpoint of the embedded credential service. A query that is not
 * authenticated is a bare 401; an authenticated verifier's query that asks beyond its access token is a 403, a
 * malformed one a 400, both with the reason ({@code {"error": …}}). Every reason goes to the log, never a token.
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
        var refusal = new PresentationService.Refused[1];
        var result = service.query(authorization, message, refused -> {
            refusal[0] = refused;
            monitor.warning("Refused a presentation query: " + refused.reason());
        });
        if (result.failed()) {
            if (refusal[0] == null || refusal[0].kind() == PresentationService.Refusal.UNAUTHORIZED) {
                // who is not authenticated learns nothing but the status
                return Response.status(401).build();
            }
            var status = refusal[0].kind() == PresentationService.Refusal.FORBIDDEN ? 403 : 400;
            return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", refusal[0].reason())).build();
        }
        return Response.ok(result.getContent(), MediaType.APPLICATION_JSON).build();
    }
}
