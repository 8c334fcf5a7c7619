package io.kakehashi.identity.did;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import java.time.Clock;

/**
 * Serves this connector's DID document on the identity web context, at {@code /did.json} (a DID with a path) and at
 * {@code /.well-known/did.json} (a bare host). Public and unauthenticated, as did:web requires. Thread-safe.
 */
@Path("/")
public class DidDocumentController {

    private final OwnDid did;
    private final Clock clock;
    private final ObjectMapper mapper;

    /**
     * @param mapper the runtime's {@code TypeManager} mapper
     */
    public DidDocumentController(OwnDid did, Clock clock, ObjectMapper mapper) {
        this.did = did;
        this.clock = clock;
        this.mapper = mapper;
    }

    @GET
    @Path("did.json")
    @Produces("application/did+json")
    public Response document() {
        try {
            return Response.ok(mapper.writeValueAsString(did.document(clock.instant())), "application/did+json").build();
        } catch (JsonProcessingException e) {
            return Response.serverError().build();
        }
    }

    @GET
    @Path(".well-known/did.json")
    @Produces("application/did+json")
    public Response wellKnownDocument() {
        return document();
    }
}
