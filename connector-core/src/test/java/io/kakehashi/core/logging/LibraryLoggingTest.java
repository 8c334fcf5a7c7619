package io.kakehashi.core.logging;

import org.eclipse.edc.boot.system.DefaultServiceExtensionContext;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LibraryLoggingTest {

    private final CapturingMonitor monitor = new CapturingMonitor();

    @Nested
    class Slf4j {

        @BeforeEach
        void attach() {
            LibraryLogForwarder.instance().attach(monitor, Level.WARN);
        }

        @Test
        void loggerFactory_shouldBeKakehashisProviderNotTheNoOperationOne() {
            assertThat(LoggerFactory.getLogger("org.apache.jena.riot")).isInstanceOf(MonitorSlf4jLogger.class);
        }

        @Test
        void warn_shouldReachTheMonitorNamingTheLogger() {
            LoggerFactory.getLogger("org.apache.jena.riot").warn("Bad IRI: {} at line {}", "<http://example.org/a b>", 3);

            assertThat(monitor.lines).containsExactly("WARNING [org.apache.jena.riot] Bad IRI: <http://example.org/a b> at line 3");
        }

        @Test
        void error_shouldReachTheMonitorAsSevereWithItsException() {
            var failure = new IllegalStateException("stream reset");

            LoggerFactory.getLogger("io.grpc.netty").error("Transport failed", failure);

            assertThat(monitor.lines).containsExactly("SEVERE [io.grpc.netty] Transport failed");
            assertThat(monitor.errors).containsExactly(failure);
        }

        @Test
        void info_whenTheThresholdIsWarn_shouldBeDropped() {
            var logger = LoggerFactory.getLogger("org.eclipse.jetty.server.Server");

            logger.info("Started");
            logger.debug("details");

            assertThat(logger.isInfoEnabled()).isFalse();
            assertThat(monitor.lines).isEmpty();
        }

        @Test
        void info_whenTheThresholdIsInfo_shouldReachTheMonitor() {
            LibraryLogForwarder.instance().attach(monitor, Level.INFO);

            LoggerFactory.getLogger("org.eclipse.jetty.server.Server").info("Started");

            assertThat(monitor.lines).containsExactly("INFO [org.eclipse.jetty.server.Server] Started");
        }
    }

    @Nested
    class Forwarder {

        @Test
        void log_beforeAMonitorIsAttached_shouldWaitAndGoOutOnAttach() {
            var forwarder = new LibraryLogForwarder();
            forwarder.log(Level.WARN, "org.eclipse.jetty", "early", null);
            forwarder.log(Level.INFO, "org.eclipse.jetty", "below the threshold", null);

            forwarder.attach(monitor, Level.WARN);

            assertThat(monitor.lines).containsExactly("WARNING [org.eclipse.jetty] early");
        }

        @Test
        void log_whenMoreWaitThanFit_shouldReportHowManyWereLost() {
            var forwarder = new LibraryLogForwarder();
            for (var i = 0; i < LibraryLogForwarder.PENDING_LIMIT + 3; i++) {
                forwarder.log(Level.WARN, "lib", "line " + i, null);
            }

            forwarder.attach(monitor, Level.WARN);

            assertThat(monitor.lines).hasSize(LibraryLogForwarder.PENDING_LIMIT + 1)
                    .last().isEqualTo("WARNING 3 library log lines written before start-up did not fit in the buffer and are lost");
        }

        @Test
        void log_whenTheMessageIsLong_shouldCutIt() {
            var forwarder = new LibraryLogForwarder();
            forwarder.attach(monitor, Level.WARN);

            forwarder.log(Level.WARN, "lib", "x".repeat(LibraryLogForwarder.MESSAGE_LIMIT + 500), null);

            assertThat(monitor.lines).singleElement().asString()
                    .hasSizeLessThan(LibraryLogForwarder.MESSAGE_LIMIT + 100).endsWith("(500 characters cut)");
        }

        @Test
        void log_whenTheMonitorItselfLogsToALibraryLogger_shouldNotLoop() {
            var forwarder = new LibraryLogForwarder();
            var echoing = new CapturingMonitor() {
                @Override
                public void warning(String message, Throwable... errors) {
                    super.warning(message, errors);
                    forwarder.log(Level.WARN, "echo", message, null);
                }
            };
            forwarder.attach(echoing, Level.WARN);

            forwarder.log(Level.WARN, "lib", "once", null);

            assertThat(echoing.lines).containsExactly("WARNING [lib] once");
        }
    }

    @Nested
    class Extension {

        private Handler[] rootHandlers;
        private java.util.logging.Level rootLevel;

        @BeforeEach
        void keepJavaUtilLogging() {
            var root = LogManager.getLogManager().getLogger("");
            rootHandlers = root.getHandlers();
            rootLevel = root.getLevel();
        }

        @AfterEach
        void restoreJavaUtilLogging() {
            var root = LogManager.getLogManager().getLogger("");
            for (var handler : root.getHandlers()) {
                root.removeHandler(handler);
            }
            for (var handler : rootHandlers) {
                root.addHandler(handler);
            }
            root.setLevel(rootLevel);
        }

        @Test
        void initialize_shouldSendJavaUtilLoggingWarningsToTheRuntimesMonitorOnly() {
            var forwarder = new LibraryLogForwarder();
            new LibraryLoggingExtension(forwarder, "WARN").initialize(context(monitor));

            Logger.getLogger("org.postgresql.Driver").warning("Connection error");
            Logger.getLogger("io.grpc.internal.SerializingExecutor").info("below the threshold");

            assertThat(monitor.lines).containsExactly("WARNING [org.postgresql.Driver] Connection error");
            assertThat(LogManager.getLogManager().getLogger("").getHandlers()).singleElement().isInstanceOf(MonitorJulHandler.class);
        }

        @Test
        void start_shouldUseTheMonitorThatIsInPlaceThen() {
            var forwarder = new LibraryLogForwarder();
            var context = context(new CapturingMonitor());
            var extension = new LibraryLoggingExtension(forwarder, "ERROR");
            extension.initialize(context);
            // as an extension that wraps the monitor (to redact secrets) would
            context.registerService(Monitor.class, monitor);

            extension.start();
            forwarder.log(Level.ERROR, "org.duckdb", "out of memory", null);
            forwarder.log(Level.WARN, "org.duckdb", "below the threshold", null);

            assertThat(monitor.lines).containsExactly("SEVERE [org.duckdb] out of memory");
        }

        @Test
        void initialize_whenTheLevelIsUnknown_shouldRefuseToStartNamingTheKey() {
            var extension = new LibraryLoggingExtension(new LibraryLogForwarder(), "LOUD");

            assertThatThrownBy(() -> extension.initialize(context(monitor)))
                    .isInstanceOf(EdcException.class).hasMessageContaining(LibraryLoggingExtension.LEVEL_KEY).hasMessageContaining("LOUD");
        }

        private static DefaultServiceExtensionContext context(Monitor monitor) {
            var context = new DefaultServiceExtensionContext(monitor, ConfigFactory.fromMap(Map.of()));
            context.initialize();
            return context;
        }
    }

    static class CapturingMonitor implements Monitor {

        final List<String> lines = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();

        @Override
        public void severe(String message, Throwable... errors) {
            record("SEVERE", message, errors);
        }

        @Override
        public void warning(String message, Throwable... errors) {
            record("WARNING", message, errors);
        }

        @Override
        public void info(String message, Throwable... errors) {
            record("INFO", message, errors);
        }

        @Override
        public void debug(String message, Throwable... errors) {
            record("DEBUG", message, errors);
        }

        private synchronized void record(String level, String message, Throwable... thrown) {
            lines.add(level + " " + message);
            errors.addAll(List.of(thrown));
        }
    }
}
