package io.kakehashi.samples.machinetool;

import io.kakehashi.samples.support.ManagementClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.UnaryOperator;

import static io.kakehashi.samples.support.ManagementClient.constraint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Offers whose contract policy limits when the data may be used (ODRL {@code dateTime} and {@code elapsedTime}),
 * negotiated between two connectors: a closed window is refused with its reason, an open one is agreed and delivers,
 * and a malformed window is refused when the policy is created.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageWindowEndToEndTest {

    private final Path workDir = Path.of("target", "e2e", "usage-window");
    private MachineToolDataspace dataspace;

    @BeforeAll
    void startDataspace() throws Exception {
        MachineToolDataspace.deleteRecursively(workDir);
        dataspace = new MachineToolDataspace(workDir, new PrintStream(Files.newOutputStream(Files.createDirectories(workDir).resolve("steps.txt"))),
                UnaryOperator.identity());
        dataspace.generateData(2_000);
        dataspace.startConnectors();
    }

    @AfterAll
    void stop() {
        if (dataspace != null) {
            dataspace.close();
        }
    }

    @Test
    void negotiation_whenTheUseWindowHasClosed_shouldBeRefusedWithTheReason() {
        var closedAt = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        dataspace.provider().management().createPolicy("window-closed", constraint("dateTime", "lteq", closedAt.toString()));
        dataspace.offer("machine-data-closed-window", "window-closed");
        var offer = dataspace.discover("machine-data-closed-window");

        // the consumer learns which constraint failed, in the provider's DSP error
        assertThatThrownBy(() -> dataspace.negotiate(offer))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TERMINATED")
                .hasMessageContaining("contract.negotiation not fulfilled")
                .hasMessageContaining("dateTime' LEQ '" + closedAt);
    }

    @Test
    void negotiation_whenInsideTheUseWindow_shouldBeAgreedAndDeliver() throws Exception {
        dataspace.provider().management().createPolicy("window-open",
                constraint("dateTime", "gteq", "2026-01-01T00:00:00+09:00"),
                constraint("dateTime", "lteq", Instant.now().plus(Duration.ofDays(365)).truncatedTo(ChronoUnit.SECONDS).toString()),
                constraint("elapsedTime", "lteq", "P30D"));
        dataspace.offer("machine-data-open-window", "window-open");

        var agreementId = dataspace.negotiate(dataspace.discover("machine-data-open-window"));
        var delivery = dataspace.transfer(agreementId, "open-window.csv");

        var source = workDir.resolve("maker-backend").resolve(MachineToolDataspace.DATA_FILE);
        assertThat(Files.mismatch(source, delivery.file())).isEqualTo(-1L);
    }

    @Test
    void policyCreation_whenTheWindowIsMalformed_shouldBeA400NamingTheConstraint() {
        var api = dataspace.provider().management();

        assertThatThrownBy(() -> api.createPolicy("window-malformed", constraint("dateTime", "lteq", "next spring")))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("dateTime: 'next spring' is not an ISO 8601 date-time");
                });
        assertThatThrownBy(() -> api.createPolicy("elapsed-wrong-operator", constraint("elapsedTime", "gteq", "P30D")))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("elapsedTime: operator 'gteq' is not allowed");
                });
        assertThatThrownBy(() -> api.get("/v3/policydefinitions/window-malformed"))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void policyCreation_whenTheLeftOperandIsUnknown_shouldBeA400() {
        assertThatThrownBy(() -> dataspace.provider().management().createPolicy("unknown-operand", constraint("kakehashi-no-such-operand", "eq", "x")))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("not bound");
                });
    }
}
