package io.kakehashi.core.web.guard;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.eclipse.edc.spi.monitor.Monitor;

/**
 * Answers an exception no closer mapper took (EDC maps its own {@code EdcApiException}s; this one sits between them
 * and EDC's catch-all for {@code Throwable}, which answers a bare 500): when {@link RequestFailureClassifier} finds
 * the request at fault, a 4xx saying what is wrong, logged at debug level only (a caller cannot fill the log);
 * otherwise a 500 whose body says no more than that, with the exception in the log. Thread-safe.
 */
public final class RequestFailureExceptionMapper implements ExceptionMapper<Exception> {

    private final RequestFailureClassifier classifier;
    private final Monitor monitor;

    public RequestFailureExceptionMapper(RequestFailureClassifier classifier, Monitor monitor) {
        this.classifier = classifier;
        this.monitor = monitor;
    }

    @Override
    public Response toResponse(Exception exception) {
        if (exception instanceof WebApplicationException web) {
            return web.getResponse();
        }
        var problem = classifier.classify(exception);
        if (problem.isPresent()) {
            monitor.debug(() -> "Request refused with %d: %s".formatted(problem.get().status(), problem.get().message()), exception);
            return problem.get().response();
        }
        monitor.severe("Unexpected exception while handling a request", exception);
        if (exception instanceof UnsupportedOperationException) {
            // as EDC's catch-all answers it
            return new RequestProblem(501, "NotImplemented", "the connector does not support this operation").response();
        }
        return RequestProblem.internal().response();
    }
}
