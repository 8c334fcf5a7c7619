package io.kakehashi.core.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;

/**
 * Serves the console's static files on its web context; an unknown file is a 404 with EDC's error shape. Every
 * answer carries a content security policy that lets the page load scripts, styles and data from its own origin
 * only, so nothing is ever fetched from elsewhere. Stateless apart from the assets' cache; thread-safe.
 */
@Path("/")
public final class ConsoleAssetsController {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final ConsoleAssets assets;

    public ConsoleAssetsController(ConsoleAssets assets) {
        this.assets = assets;
    }

    /** The index page; {@code /console} without the slash is sent to {@code /console/}, where relative module URLs resolve. */
    @GET
    public Response index(@Context UriInfo uri) {
        var path = uri.getRequestUri().getRawPath();
        if (path != null && !path.endsWith("/")) {
            return secured(Response.status(Response.Status.SEE_OTHER)).location(URI.create(path + "/")).build();
        }
        return file("");
    }

    @GET
    @Path("{file: .+}")
    public Response file(@PathParam("file") String file) {
        return assets.find(file)
                .map(asset -> secured(Response.ok(asset.content(), asset.mediaType())).header("Cache-Control", "no-cache").build())
                .orElseGet(() -> secured(Response.status(Response.Status.NOT_FOUND))
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(ErrorBody.of("no console file at this path", "NotFound"))
                        .build());
    }

    static Response.ResponseBuilder secured(Response.ResponseBuilder builder) {
        return builder.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Frame-Options", "DENY");
    }
}
