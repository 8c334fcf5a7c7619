package io.kakehashi.identity.dcp.holder;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.edc.spi.monitor.Monitor;

import java.util.Map;

/**
 * {@code POST /sts/token} of the embedded secure token service (form-encoded, OAuth 2.0 client credentials). A refusal
 * is a 400 or 401 with the OAuth 2.0 {@code error} code; the log names the reason, never a secret or token.
 */
@Path("/sts")
public class SecureTokenController {

    private final SecureTokenService service;
    private final Monitor monitor;

    public SecureTokenController(SecureTokenService service, Monitor monitor) {
        this.service = service;
        this.monitor = monitor;
    }

    @POST
    @Path("token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
                          @FormParam("client_secret") String clientSecret, @FormParam("audience") String audience,
                          @FormParam("bearer_access_scope") String scopes) {
        var refusal = new SecureTokenService.Refused[1];
        var result = service.token(grantType, clientId, clientSecret, audience, scopes, refused -> refusal[0] = refused);
        if (result.succeeded()) {
            return Response.ok(result.getContent(), MediaType.APPLICATION_JSON).build();
        }
        if (refusal[0] == null) {
            monitor.severe("STS: cannot issue a token: " + result.getFailureDetail());
            return Response.status(503).build();
        }
        monitor.warning("Refused an STS token request: " + refusal[0].reason());
        var status = refusal[0].kind() == SecureTokenService.Refusal.INVALID_CLIENT ? 401 : 400;
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", refusal[0].kind().name().toLowerCase(java.util.Locale.ROOT))).build();
    }
}
