package io.kakehashi.core.web.guard;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.edc.web.spi.ApiErrorDetail;

import java.util.List;

/**
 * What is wrong with a request, as the HTTP answer the caller gets: a status and one message in EDC's error shape
 * ({@code [{"message": …, "type": …}]}). A message never holds a stack trace, a class name or stored data.
 */
public record RequestProblem(int status, String type, String message) {

    /** Longest message text handed back; a caller's own value quoted in a message is cut to fit. */
    static final int MAX_MESSAGE = 300;

    public static RequestProblem badRequest(String message) {
        return new RequestProblem(400, "BadRequest", message);
    }

    public static RequestProblem conflict(String message) {
        return new RequestProblem(409, "ObjectConflict", message);
    }

    public static RequestProblem tooLarge(String message) {
        return new RequestProblem(413, "PayloadTooLarge", message);
    }

    public static RequestProblem internal() {
        return new RequestProblem(500, "InternalError", "the connector failed to handle the request; its log has the details");
    }

    public Response response() {
        var detail = ApiErrorDetail.Builder.newInstance().message(clip(message)).type(type).build();
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(List.of(detail)).build();
    }

    /** The problem as an exception Jersey answers with as it is, from a filter, an interceptor or a stream. */
    public WebApplicationException exception() {
        return new WebApplicationException(message, response());
    }

    static String clip(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }
}
