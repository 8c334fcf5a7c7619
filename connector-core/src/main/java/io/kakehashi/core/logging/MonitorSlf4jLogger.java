package io.kakehashi.core.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An SLF4J logger that hands its lines to the {@link LibraryLogForwarder}. Thread-safe.
 */
final class MonitorSlf4jLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    private final transient LibraryLogForwarder forwarder;

    MonitorSlf4jLogger(String name, LibraryLogForwarder forwarder) {
        this.name = name;
        this.forwarder = forwarder;
    }

    @Override
    public boolean isTraceEnabled() {
        return forwarder.isEnabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return forwarder.isEnabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return forwarder.isEnabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return forwarder.isEnabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return forwarder.isEnabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments, Throwable throwable) {
        forwarder.log(level, name, MessageFormatter.basicArrayFormat(messagePattern, arguments), throwable);
    }
}
