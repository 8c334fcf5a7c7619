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
 * The DCP storage API ({@code POST /credentials}) of the embedded credential service. A refusal is a 401 (the issuer's
 * authentication) or a 400 with the reason (the message); the log names the reason, never a token or credential.
 */
@Path("/credentials")
public class CredentialStorageController {

    private final CredentialStorageService service;
    private final Monitor monitor;

    public CredentialStorageController(CredentialStorageService service, Monitor monitor) {
        this.service = service;
        this.monitor = monitor;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response credentials(@HeaderParam("Authorization") String authorization, Map<String, Object> message) {
        var refusal = new CredentialStorageService.Refused[1];
        var result = service.receive(authorization, message, refused -> refusal[0] = refused);
        if (result.failed()) {
            return refuse(monitor, "credential message", refusal[0]);
        }
        monitor.info("Credentials: stored %d delivered credential(s)".formatted(result.getContent()));
        return Response.ok().build();
    }

    static Response refuse(Monitor monitor, String what, CredentialStorageService.Refused refused) {
        if (refused == null) {
            // nothing wrong with the message: the store could not write it (already logged)
            return Response.status(503).build();
        }
        monitor.warning("Refused a %s: %s".formatted(what, refused.reason()));
        if (refused.kind() == CredentialStorageService.Refusal.BAD_REQUEST) {
            return Response.status(400).type(MediaType.APPLICATION_JSON).entity(Map.of("error", refused.reason())).build();
        }
        return Response.status(401).build();
    }
}
