package io.kakehashi.core.security;

import io.kakehashi.core.spi.settings.SettingValues;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Purges the token ids the identity records against replays ({@code jti}s, and the marks of DSP messages sent again,
 * {@code RepeatedMessages}) once their tokens have expired: they only matter until then. The one owner of that purge
 * for every identity module — the self-issued identity and the DCP verifier record into the same EDC
 * {@link JtiValidationStore} (PostgreSQL in production), which EDC 0.15.1 never purges by itself, so that a connector
 * running the DCP identity kept every token id it had ever seen. Without a {@code JtiValidationStore} it does nothing.
 */
@Extension(SeenTokensPurgeExtension.NAME)
public class SeenTokensPurgeExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi purge of expired token ids";
    public static final String INTERVAL_KEY = "kakehashi.identity.seen-tokens.purge-interval";

    @Setting(key = INTERVAL_KEY, defaultValue = "PT1M",
            description = "How often token ids recorded against replays are purged once their tokens expired (ISO-8601 duration, 1 s to 1 h)")
    private String interval;

    @Inject(required = false)
    private JtiValidationStore seenTokens;

    private Duration every;
    private Monitor monitor;
    private ScheduledExecutorService purge;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        monitor = context.getMonitor().withPrefix("Seen tokens");
        every = SettingValues.require(SettingValues.duration(INTERVAL_KEY, interval, Duration.ofSeconds(1), Duration.ofHours(1)));
    }

    @Override
    public void start() {
        if (seenTokens == null) {
            return;
        }
        purge = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "kakehashi-seen-tokens-purge");
            thread.setDaemon(true);
            return thread;
        });
        purge.scheduleWithFixedDelay(() -> purgeOnce(seenTokens, monitor), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Purges what has expired; a failure is reported and tried again at the next interval. */
    static void purgeOnce(JtiValidationStore seenTokens, Monitor monitor) {
        try {
            var purged = seenTokens.deleteExpired();
            if (purged.succeeded()) {
                monitor.debug(() -> "purged %d expired token ids".formatted(purged.getContent()));
            } else {
                monitor.warning("Cannot purge expired token ids: " + purged.getFailureDetail());
            }
        } catch (RuntimeException e) {
            monitor.warning("Cannot purge expired token ids: " + e.getMessage());
        }
    }

    @Override
    public void shutdown() {
        if (purge != null) {
            purge.shutdownNow();
        }
    }
}
