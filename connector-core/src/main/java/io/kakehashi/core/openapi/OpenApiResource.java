package io.kakehashi.core.openapi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kakehashi.core.spi.openapi.OpenApiDocuments;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET <context path>/openapi}: the names of the context's OpenAPI documents; {@code GET .../openapi/<name>.json}:
 * one document, 404 with a JSON message when the context has none by that name. Thread-safe.
 */
@Path("/openapi")
public class OpenApiResource {

    private final OpenApiDocuments documents;
    private final String context;

    public OpenApiResource(OpenApiDocuments documents, String context) {
        this.documents = documents;
        this.context = context;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response index() {
        var body = JsonNodeFactory.instance.objectNode();
        var list = body.putArray("documents");
        documents.names(context).forEach(name -> list.addObject().put("name", name).put("path", "openapi/" + name + ".json"));
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/{name}.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response document(@PathParam("name") String name) {
        return documents.document(context, name)
                .map(text -> Response.ok(text, MediaType.APPLICATION_JSON).build())
                .orElseGet(() -> {
                    var body = JsonNodeFactory.instance.objectNode().put("status", 404)
                            .put("message", "no OpenAPI document by that name on this context; GET openapi lists them");
                    return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON).entity(body.toString()).build();
                });
    }
}
