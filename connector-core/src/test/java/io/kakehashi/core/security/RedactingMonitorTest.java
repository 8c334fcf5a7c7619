package io.kakehashi.core.security;

import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class RedactingMonitorTest {

    private final List<String> lines = new ArrayList<>();
    private final SecretRedactor redactor = new SecretRedactor();
    private final Monitor monitor = new RedactingMonitor(new RecordingMonitor(lines), redactor);

    RedactingMonitorTest() {
        redactor.addSource(new SecretRedactorTest.MutableSource(List.of(SecretRedactorTest.JWK)));
    }

    @Test
    void severe_whenTheMessageAndTheCauseCarryASecret_shouldLogNeither() {
        var cause = new IllegalArgumentException("Unexpected char in header value: " + SecretRedactorTest.JWK_D);

        monitor.withPrefix("data-plane").severe("flow failed: " + SecretRedactorTest.JWK, new EdcException("wrapped " + SecretRedactorTest.JWK_D, cause));

        assertThat(String.join("\n", lines)).doesNotContain(SecretRedactorTest.JWK_D)
                .contains("flow failed: [redacted]").contains("java.lang.IllegalArgumentException: Unexpected char in header value: [redacted]");
    }

    @Test
    void info_whenGivenASupplier_shouldRedactWhatItSupplies() {
        monitor.info(() -> "secret " + SecretRedactorTest.JWK_D);

        assertThat(lines).containsExactly("secret [redacted]");
    }

    private record RecordingMonitor(List<String> lines) implements Monitor {

        @Override
        public void severe(String message, Throwable... errors) {
            record(message, errors);
        }

        @Override
        public void severe(Supplier<String> supplier, Throwable... errors) {
            record(supplier.get(), errors);
        }

        @Override
        public void info(Supplier<String> supplier, Throwable... errors) {
            record(supplier.get(), errors);
        }

        @Override
        public Monitor withPrefix(String prefix) {
            return this;
        }

        private void record(String message, Throwable... errors) {
            lines.add(message);
            for (var error : errors) {
                var out = new StringWriter();
                error.printStackTrace(new PrintWriter(out));
                lines.add(out.toString());
            }
        }
    }
}
