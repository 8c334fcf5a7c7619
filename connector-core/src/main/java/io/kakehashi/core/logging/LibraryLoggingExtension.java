package io.kakehashi.core.logging;

import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.slf4j.event.Level;

import java.util.Arrays;
import java.util.Locale;
import java.util.logging.LogManager;

/**
 * Sends the log lines of the connector's libraries (through SLF4J and java.util.logging) at or above
 * {@code kakehashi.logging.library-level} to the runtime's monitor, replacing java.util.logging's console handler so
 * that no line is written twice.
 */
@Extension(LibraryLoggingExtension.NAME)
public class LibraryLoggingExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi library logging";
    public static final String LEVEL_KEY = "kakehashi.logging.library-level";

    @Setting(key = LEVEL_KEY, defaultValue = "WARN",
            description = "Lowest level of the libraries' log lines (Jetty, Jena, gRPC, Netty, DuckDB, the PostgreSQL driver) that reach the "
                    + "connector's log: ERROR, WARN, INFO, DEBUG or TRACE. Below INFO the monitor's own level applies too.")
    private String level;

    private final LibraryLogForwarder forwarder;
    private Level threshold;
    private ServiceExtensionContext context;

    public LibraryLoggingExtension() {
        this.forwarder = LibraryLogForwarder.instance();
    }

    LibraryLoggingExtension(LibraryLogForwarder forwarder, String level) {
        this.forwarder = forwarder;
        this.level = level;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        this.context = context;
        threshold = parse(level);
        forwarder.attach(context.getMonitor(), threshold);
        routeJavaUtilLogging(threshold);
    }

    @Override
    public void start() {
        // an extension initialized after this one may have put another monitor (one that redacts, say) in place
        forwarder.attach(context.getMonitor(), threshold);
    }

    static Level parse(String value) {
        try {
            return Level.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new EdcException("Invalid setting '%s': '%s' is none of %s".formatted(LEVEL_KEY, value, Arrays.toString(Level.values())));
        }
    }

    private void routeJavaUtilLogging(Level threshold) {
        var root = LogManager.getLogManager().getLogger("");
        for (var handler : root.getHandlers()) {
            if (!(handler instanceof MonitorJulHandler)) {
                root.removeHandler(handler);
            }
        }
        if (Arrays.stream(root.getHandlers()).noneMatch(MonitorJulHandler.class::isInstance)) {
            root.addHandler(new MonitorJulHandler(forwarder));
        }
        // records below the threshold are not even created
        root.setLevel(MonitorJulHandler.julLevel(threshold));
    }
}
