package io.kakehashi.core.security;

import org.eclipse.edc.spi.monitor.Monitor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The runtime's monitor with every message, and the message of every throwable and its causes, passed through the
 * {@link SecretRedactor} first, so no log line carries a secret. It wraps whatever monitor the runtime built (the
 * console, a bridge to SLF4J, several at once). Thread-safe when the wrapped monitor is.
 */
public class RedactingMonitor implements Monitor {

    /** A chain of causes is followed this deep (a cycle would be followed forever). */
    private static final int MAX_CAUSES = 16;

    private final Monitor delegate;
    private final SecretRedactor redactor;

    public RedactingMonitor(Monitor delegate, SecretRedactor redactor) {
        this.delegate = delegate;
        this.redactor = redactor;
    }

    @Override
    public void severe(Supplier<String> supplier, Throwable... errors) {
        delegate.severe(() -> redactor.redact(supplier.get()), redacted(errors));
    }

    @Override
    public void severe(String message, Throwable... errors) {
        delegate.severe(redactor.redact(message), redacted(errors));
    }

    @Override
    public void severe(Map<String, Object> data) {
        var copy = new LinkedHashMap<String, Object>();
        data.forEach((key, value) -> copy.put(key, value instanceof String text ? redactor.redact(text) : value));
        delegate.severe(copy);
    }

    @Override
    public void warning(Supplier<String> supplier, Throwable... errors) {
        delegate.warning(() -> redactor.redact(supplier.get()), redacted(errors));
    }

    @Override
    public void warning(String message, Throwable... errors) {
        delegate.warning(redactor.redact(message), redacted(errors));
    }

    @Override
    public void info(Supplier<String> supplier, Throwable... errors) {
        delegate.info(() -> redactor.redact(supplier.get()), redacted(errors));
    }

    @Override
    public void info(String message, Throwable... errors) {
        delegate.info(redactor.redact(message), redacted(errors));
    }

    @Override
    public void debug(Supplier<String> supplier, Throwable... errors) {
        delegate.debug(() -> redactor.redact(supplier.get()), redacted(errors));
    }

    @Override
    public void debug(String message, Throwable... errors) {
        delegate.debug(redactor.redact(message), redacted(errors));
    }

    @Override
    public String sanitizeMessage(Supplier<String> supplier) {
        return delegate.sanitizeMessage(() -> redactor.redact(supplier.get()));
    }

    @Override
    public Monitor withPrefix(String prefix) {
        return new RedactingMonitor(delegate.withPrefix(prefix), redactor);
    }

    private Throwable[] redacted(Throwable... errors) {
        if (errors == null || errors.length == 0) {
            return errors;
        }
        return Arrays.stream(errors).map(error -> redacted(error, 0)).toArray(Throwable[]::new);
    }

    /** A copy whose messages (its own and its causes') are redacted; same class name in the text, same stack. */
    private Throwable redacted(Throwable error, int depth) {
        if (error == null || depth > MAX_CAUSES) {
            return null;
        }
        var cause = error.getCause() == error ? null : error.getCause();
        var copy = new RedactedThrowable(error.getClass().getName(), redactor.redact(error.getMessage()), redacted(cause, depth + 1));
        copy.setStackTrace(error.getStackTrace());
        for (var suppressed : error.getSuppressed()) {
            copy.addSuppressed(redacted(suppressed, depth + 1));
        }
        return copy;
    }

    /** Prints as the original would ({@code class: message}), with the message already redacted. */
    private static final class RedactedThrowable extends Throwable {

        private final String originalClass;

        RedactedThrowable(String originalClass, String message, Throwable cause) {
            super(message, cause);
            this.originalClass = originalClass;
        }

        @Override
        public String toString() {
            var message = getLocalizedMessage();
            return message == null ? originalClass : originalClass + ": " + message;
        }
    }
}
