package io.kakehashi.samples.tck;

import io.kakehashi.testfixtures.Ports;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

import java.util.HashMap;
import java.util.Map;

/**
 * Runs one connector under test for a whole JUnit Platform session: started, and the TCK configured for it, when the
 * first test plan that holds tests begins (not during mere discovery, as an IDE does), stopped when the session
 * closes. Registered through {@code META-INF/services}, so Surefire's run of the TCK's own test classes picks it up.
 * <p>
 * Not thread-safe; the JUnit Platform calls it from one thread.
 */
public class DspTckSessionListener implements LauncherSessionListener {

    private final Map<String, String> replacedProperties = new HashMap<>();
    private ConnectorUnderTest connector;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        session.getLauncher().registerTestExecutionListeners(new TestExecutionListener() {
            @Override
            public void testPlanExecutionStarted(TestPlan testPlan) {
                if (connector == null && testPlan.containsTests()) {
                    startConnector();
                }
            }
        });
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (connector != null) {
            connector.close();
            connector = null;
        }
        replacedProperties.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
        replacedProperties.clear();
    }

    // Without a connector the TCK stays unconfigured, so every test fails at once on the missing settings
    // instead of waiting out its timeouts against a dead port.
    private void startConnector() {
        connector = ConnectorUnderTest.start();
        var configuration = TckConfiguration.of(connector, Ports.freePort(),
                connector.settings().directory().resolve("dspace-edc-context-v1.jsonld"));
        configuration.properties().forEach((key, value) -> replacedProperties.put(key, System.setProperty(key, value)));
        System.out.printf("DSP TCK: connector '%s' at %s, log %s%n",
                connector.settings().participantId(), connector.settings().dspAddress(), connector.log());
    }
}
