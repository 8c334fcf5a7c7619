package io.kakehashi.core.console;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.io.InputStream;

/**
 * The console's same-origin door to the connector's management and auditor APIs: {@code <console path>/api/management/…}
 * and {@code <console path>/api/auditor/…}, forwarded by {@link ApiForwarder} with the caller's {@code x-api-key}.
 * The console itself authenticates nobody and keeps no key: the target API decides. Thread-safe.
 */
@Path("/api")
public final class ConsoleApiController {

    private final ApiForwarder forwarder;

    public ConsoleApiController(ApiForwarder forwarder) {
        this.forwarder = forwarder;
    }

    @GET
    @Path("{path: .*}")
    public Response get(@Context UriInfo uri, @Context HttpHeaders headers) {
        return forward("GET", uri, headers, null);
    }

    @DELETE
    @Path("{path: .*}")
    public Response delete(@Context UriInfo uri, @Context HttpHeaders headers) {
        return forward("DELETE", uri, headers, null);
    }

    @POST
    @Path("{path: .*}")
    public Response post(@Context UriInfo uri, @Context HttpHeaders headers, InputStream body) {
        return forward("POST", uri, headers, body);
    }

    @PUT
    @Path("{path: .*}")
    public Response put(@Context UriInfo uri, @Context HttpHeaders headers, InputStream body) {
        return forward("PUT", uri, headers, body);
    }

    private Response forward(String method, UriInfo uri, HttpHeaders headers, InputStream body) {
        var path = uri.getPath(false);
        path = path.startsWith("/") ? path.substring(1) : path;
        var rest = path.startsWith("api/") ? path.substring("api/".length()) : "";
        var answer = forwarder.forward(method, rest, uri.getRequestUri().getRawQuery(),
                new ApiForwarder.Headers(headers.getHeaderString(ApiForwarder.API_KEY), headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                        headers.getHeaderString(HttpHeaders.ACCEPT)), body);
        var response = ConsoleAssetsController.secured(Response.status(answer.status())).entity(answer.body()).header("Cache-Control", "no-store");
        if (answer.contentType() != null) {
            response.type(answer.contentType());
        }
        if (answer.contentDisposition() != null) {
            response.header("Content-Disposition", answer.contentDisposition());
        }
        return response.build();
    }
}
