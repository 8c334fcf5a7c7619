package io.kakehashi.samples.launcher;

import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher jar binds SLF4J and java.util.logging to the connector's monitor: the warning that Jersey (EDC's
 * JAX-RS stack, through java.util.logging) writes at every start arrives as a monitor line naming its logger, and
 * SLF4J no longer falls back to its no-operation logger.
 */
@Tag("EndToEndTest")
class LibraryLogsInLauncherTest {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Pattern COLOURS = Pattern.compile("\u001B\\[[;\\d]*m");
    // java.util.logging's console format: "Dec 06, 2026 4:35:58 PM org.glassfish.jersey.internal.Errors logErrors"
    private static final Pattern JUL_CONSOLE_LINE = Pattern.compile("^[A-Z][a-z]{2} \\d{2}, \\d{4} \\d{1,2}:\\d{2}:\\d{2} [AP]M ");

    private final Path workDir = Path.of("target", "launcher-checks");

    @Test
    void start_shouldBringALibraryWarningThroughTheMonitorAndBindSlf4j() throws IOException {
        // an authority nobody serves: this check never verifies a peer
        var settings = new ConnectorSettings("library-logs", workDir.resolve("library-logs-" + System.nanoTime()))
                .trustIssuer("dataspace", "did:web:127.0.0.1%3A9:authority");
        try (var connector = ConnectorProcess.start(settings, START)) {
            var log = Files.readAllLines(connector.log(), StandardCharsets.UTF_8).stream()
                    .map(line -> COLOURS.matcher(line).replaceAll(""))
                    .toList();

            assertThat(log).as("SLF4J found a provider").noneMatch(line -> line.contains("No SLF4J providers were found"));
            assertThat(log).filteredOn(line -> line.contains("[org.glassfish.jersey.internal.Errors]"))
                    .as("Jersey's start-up warning, as a monitor line")
                    .singleElement().asString()
                    .startsWith("WARNING ")
                    .contains("VersionApiController contains empty path annotation");
            assertThat(log).as("nothing written by java.util.logging's own console handler")
                    .noneMatch(line -> JUL_CONSOLE_LINE.matcher(line).find());
        }
    }
}
