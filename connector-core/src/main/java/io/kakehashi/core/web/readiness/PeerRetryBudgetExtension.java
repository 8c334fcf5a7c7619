package io.kakehashi.core.web.readiness;

import io.kakehashi.core.spi.settings.SettingValues;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.time.Duration;

/**
 * Stops start-up when EDC's HTTP retry settings would give up on a peer sooner than a peer takes to restart. EDC's DSP
 * dispatcher retries a peer's 5xx and a refused or dropped connection with that policy (a 4xx is final) and, once it
 * gives up, leaves the message to the state machine's send retries; a budget shorter than a restart turned peers'
 * restarts into terminated negotiations and transfers. See decision record 0020.
 */
@Extension(PeerRetryBudgetExtension.NAME)
public class PeerRetryBudgetExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi peer retry budget";
    public static final String PEER_RESTART_KEY = "kakehashi.web.peer-restart";
    // EDC's own keys and defaults (RuntimeDefaultCoreServicesExtension's retry policy), read the same way
    static final String MAX_RETRIES_KEY = "edc.core.retry.retries.max";
    static final String MIN_BACKOFF_KEY = "edc.core.retry.backoff.min";
    static final String MAX_BACKOFF_KEY = "edc.core.retry.backoff.max";
    static final int DEFAULT_MAX_RETRIES = 5;
    static final int DEFAULT_MIN_BACKOFF_MILLIS = 500;
    static final int DEFAULT_MAX_BACKOFF_MILLIS = 10_000;

    @Setting(key = PEER_RESTART_KEY, defaultValue = "PT5S",
            description = "How long a peer's restart may take without a message to it failing: EDC's HTTP retries (edc.core.retry.*) must wait at least this long in all")
    private String peerRestart;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var config = context.getConfig();
        var budget = new PeerRetryBudget(
                config.getInteger(MAX_RETRIES_KEY, DEFAULT_MAX_RETRIES),
                Duration.ofMillis(config.getInteger(MIN_BACKOFF_KEY, DEFAULT_MIN_BACKOFF_MILLIS)),
                Duration.ofMillis(config.getInteger(MAX_BACKOFF_KEY, DEFAULT_MAX_BACKOFF_MILLIS)));
        var restart = parseRestart(peerRestart);
        budget.outlasting(restart).orElseThrow(failure -> new EdcException("Invalid settings '%s', '%s', '%s' for '%s' = %s: %s"
                .formatted(MAX_RETRIES_KEY, MIN_BACKOFF_KEY, MAX_BACKOFF_KEY, PEER_RESTART_KEY, peerRestart, failure.getFailureDetail())));
        context.getMonitor().debug("A message to a peer that is down or answers 5xx is retried for %d ms".formatted(budget.total().toMillis()));
    }

    static Duration parseRestart(String value) {
        return SettingValues.require(SettingValues.nonNegativeDuration(PEER_RESTART_KEY, value));
    }
}
