package io.kakehashi.samples.launcher.guard;

import io.kakehashi.samples.support.ConnectorProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** {@link MalformedRequestTestBase} against the launcher on the embedded (in-memory) default. */
@Tag("EndToEndTest")
class MalformedRequestEmbeddedTest extends MalformedRequestTestBase {

    private static ConnectorProcess connector;

    @BeforeAll
    static void start() {
        connector = ConnectorProcess.start(settings("malformed-embedded"), START);
        storeTheKeptAsset(connector);
    }

    @AfterAll
    static void stop() {
        if (connector != null) {
            connector.close();
        }
    }

    @Override
    ConnectorProcess connector() {
        return connector;
    }
}
