package io.kakehashi.samples.dcptck;

import io.kakehashi.testfixtures.Ports;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one connector under test for a whole JUnit Platform session: started, and the TCK configured for it through
 * system properties, when the first test plan that holds tests begins; stopped when the session closes. Registered
 * through {@code META-INF/services}, so Surefire's run of the TCK's own test classes picks it up.
 * <p>
 * Not thread-safe; the JUnit Platform calls it from one thread.
 */
public class DcpTckSessionListener implements LauncherSessionListener {

    private static final String SYSTEM_LAUNCHER = "org.eclipse.dataspacetck.dcp.system.DcpSystemLauncher";

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

    // Without a connector the TCK stays unconfigured, so every test fails at once on the missing settings.
    private void startConnector() {
        var role = Role.current();
        var callbackPort = Ports.freePort();
        var callback = "http://127.0.0.1:%d".formatted(callbackPort);
        // the TCK names its parties did:web:<callback host>%3A<port>:<role>
        var tckIssuer = "did:web:127.0.0.1%%3A%d:issuer".formatted(callbackPort);
        connector = ConnectorUnderTest.start(role, tckIssuer);
        var p = new LinkedHashMap<String, String>();
        p.put("dataspacetck.launcher", SYSTEM_LAUNCHER);
        p.put("dataspacetck.ansi", "false");
        p.put("dataspacetck.debug", "true");
        p.put("dataspacetck.host", "127.0.0.1");
        p.put("dataspacetck.port", String.valueOf(callbackPort));
        p.put("dataspacetck.callback.address", callback);
        p.put("dataspacetck.did.issuer", tckIssuer);
        if (role == Role.VERIFIER) {
            p.put("dataspacetck.did.verifier", connector.settings().did());
            // the TCK holder's request: a DSP catalog request, answered only for a verified caller
            p.put("dataspacetck.vpp.trigger.endpoint", connector.settings().dspAddress() + "/catalog/request");
        } else {
            p.put("dataspacetck.did.holder", connector.settings().did());
            p.put("dataspacetck.sts.url", connector.identityUrl() + "/sts");
            p.put("dataspacetck.sts.client.id", ConnectorUnderTest.STS_CLIENT_ID);
            p.put("dataspacetck.sts.client.secret", connector.stsClientSecret());
        }
        p.forEach((key, value) -> replacedProperties.put(key, System.setProperty(key, value)));
        System.out.printf("DCP TCK (%s): connector %s, TCK parties at %s, log %s%n", role, connector.settings().did(), callback, connector.log());
    }
}
