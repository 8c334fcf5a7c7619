package io.kakehashi.core.web.guard;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MultivaluedMap;

import java.util.List;
import java.util.Optional;

/**
 * The first check of every request on a context, before authentication and before a resource is chosen: a body
 * announced or found larger than the context's {@link BodyLimit} for its path is answered 413, and a path or query
 * parameter holding a control character (NUL included) is answered 400 — no store can look such a value up, and
 * PostgreSQL refuses NUL outright. Thread-safe.
 */
@PreMatching
@Priority(100)
public final class RequestEnvelopeFilter implements ContainerRequestFilter {

    private final BodyLimit limit;

    public RequestEnvelopeFilter(BodyLimit limit) {
        this.limit = limit;
    }

    /** Bodies up to this size that are over the limit are read and discarded before the 413 is sent. */
    static final long DRAIN_BYTES = 32L * 1024 * 1024;

    @Override
    public void filter(ContainerRequestContext request) {
        RequestBodyDigest.clear();
        var uri = request.getUriInfo();
        var problem = controlCharacterIn("the path", List.of(uri.getPath(true)))
                .or(() -> controlCharacterIn(uri.getQueryParameters(true)));
        if (problem.isPresent()) {
            request.abortWith(RequestProblem.badRequest(problem.get()).response());
            return;
        }
        var max = limit.forPath(uri.getPath(true));
        if (request.getLength() > max) {
            if (request.getLength() <= DRAIN_BYTES) {
                // most clients send the whole body before they read an answer: read it away, so they get the 413
                // instead of a connection reset; a larger body only gets the connection closed
                drain(request.getEntityStream());
            }
            request.abortWith(RequestProblem.tooLarge("the body is larger than %d bytes".formatted(max)).response());
            return;
        }
        if (request.hasEntity()) {
            request.setEntityStream(new BoundedInputStream(request.getEntityStream(), max));
        }
    }

    private static void drain(java.io.InputStream body) {
        try (body) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (java.io.IOException e) {
            // the client went away; the 413 goes nowhere either way
        }
    }

    private static Optional<String> controlCharacterIn(MultivaluedMap<String, String> parameters) {
        for (var entry : parameters.entrySet()) {
            var problem = controlCharacterIn("the query parameter '%s'".formatted(RequestProblem.clip(entry.getKey())), entry.getValue())
                    .or(() -> controlCharacterIn("a query parameter name", List.of(entry.getKey())));
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> controlCharacterIn(String what, List<String> values) {
        for (var value : values) {
            for (var i = 0; i < value.length(); i++) {
                if (Character.isISOControl(value.charAt(i))) {
                    return Optional.of("%s contains the control character U+%04X".formatted(what, (int) value.charAt(i)));
                }
            }
        }
        return Optional.empty();
    }
}
