package io.kakehashi.core.logging;

import org.slf4j.event.Level;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * A java.util.logging handler (gRPC, the PostgreSQL driver, ONNX Runtime and Tribuo log there) that hands records to
 * the {@link LibraryLogForwarder}. Thread-safe.
 */
final class MonitorJulHandler extends Handler {

    private final LibraryLogForwarder forwarder;
    private final Formatter formatter = new SimpleFormatter();

    MonitorJulHandler(LibraryLogForwarder forwarder) {
        this.forwarder = forwarder;
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        var level = level(record.getLevel());
        if (!forwarder.isEnabled(level)) {
            return;
        }
        var source = record.getLoggerName() == null ? "java.util.logging" : record.getLoggerName();
        forwarder.log(level, source, formatter.formatMessage(record), record.getThrown());
    }

    @Override
    public void flush() {
        // nothing is buffered here
    }

    @Override
    public void close() {
        // nothing to release
    }

    static Level level(java.util.logging.Level level) {
        var value = level.intValue();
        if (value >= java.util.logging.Level.SEVERE.intValue()) {
            return Level.ERROR;
        }
        if (value >= java.util.logging.Level.WARNING.intValue()) {
            return Level.WARN;
        }
        if (value >= java.util.logging.Level.INFO.intValue()) {
            return Level.INFO;
        }
        if (value >= java.util.logging.Level.FINE.intValue()) {
            return Level.DEBUG;
        }
        return Level.TRACE;
    }

    static java.util.logging.Level julLevel(Level level) {
        return switch (level) {
            case ERROR -> java.util.logging.Level.SEVERE;
            case WARN -> java.util.logging.Level.WARNING;
            case INFO -> java.util.logging.Level.INFO;
            case DEBUG -> java.util.logging.Level.FINE;
            case TRACE -> java.util.logging.Level.FINEST;
        };
    }
}
