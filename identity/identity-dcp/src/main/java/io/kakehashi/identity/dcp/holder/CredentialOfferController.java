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
 * The DCP offer endpoint ({@code POST /offers}) of the embedded credential service: an offer from a trusted issuer is
 * acknowledged and logged. A refusal is a 401 (the issuer's authentication) or a 400 with the reason (the message).
 */
@Path("/offers")
public class CredentialOfferController {

    private final CredentialStorageService service;
    private final Monitor monitor;

    public CredentialOfferController(CredentialStorageService service, Monitor monitor) {
        this.service = service;
        this.monitor = monitor;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response offers(@HeaderParam("Authorization") String authorization, Map<String, Object> message) {
        var refusal = new CredentialStorageService.Refused[1];
        var result = service.offer(authorization, message, refused -> refusal[0] = refused);
        if (result.failed()) {
            return CredentialStorageController.refuse(monitor, "credential offer", refusal[0]);
        }
        monitor.info("Credentials: an issuer offers %d credential(s); this holder requests none by itself (the issuer tool issues)"
                .formatted(result.getContent()));
        return Response.ok().build();
    }
}
