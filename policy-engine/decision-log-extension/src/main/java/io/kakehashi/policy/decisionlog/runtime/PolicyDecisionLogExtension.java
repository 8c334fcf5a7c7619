package io.kakehashi.policy.decisionlog.runtime;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.core.spi.settings.SettingValues;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.policy.decisionlog.CheckpointKeyHistory;
import io.kakehashi.policy.decisionlog.CheckpointSchedule;
import io.kakehashi.policy.decisionlog.CheckpointSigner;
import io.kakehashi.policy.decisionlog.CheckpointingDecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.edc.policy.engine.spi.PolicyEngine;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.TypeManager;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.ApiContext;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Puts the decision log under EDC's policy engine: the engine every other extension gets is EDC's own, decorated
 * by a {@link RecordingPolicyEngine} that records each decision (see docs/decisions/0005). Checkpoints of the chain
 * are signed with the connector's identity key ({@link ConnectorSigningKey}; with a DID, the key id names the
 * verification method) every N entries and, from a timer, every T; each key is kept in the log's key history
 * ({@link CheckpointStore#keys()}) before it signs, handed over by the key before it while the identity still holds
 * that one. A refused peer is told
 * what {@value DenialDisclosure#SETTING} allows, in the DSP error.
 *
 * <p>It also provides the {@link DecisionRecorder} through which decisions made outside the policy engine (a compute
 * job's result release) enter the same chain, through the same store (and, on PostgreSQL, EDC transaction) and the
 * same checkpoints.
 *
 * <p>The extension declares that it provides {@link PolicyEngine} so that every extension injecting the engine is
 * initialised after it and receives the decorated one; it injects EDC's engine itself, which orders it after EDC's
 * core services.
 */
@Extension(PolicyDecisionLogExtension.NAME)
@Provides({PolicyEngine.class, CheckpointVerificationKey.class, DecisionRecorder.class})
public class PolicyDecisionLogExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi policy decision log";
    public static final String CHECKPOINT_ENTRIES_KEY = "kakehashi.decisionlog.checkpoint.entries";
    public static final String CHECKPOINT_INTERVAL_KEY = "kakehashi.decisionlog.checkpoint.interval";
    public static final String CHECKPOINT_WITHIN_KEY = "kakehashi.decisionlog.checkpoint.within";

    @Setting(key = DenialDisclosure.SETTING, defaultValue = "full",
            description = "What a refused peer learns: 'full' (each failed constraint and why), 'constraints' (their names) or 'none'")
    private String disclosureSetting;

    @Setting(key = CHECKPOINT_ENTRIES_KEY, defaultValue = "1000", description = "Sign a checkpoint after this many new entries")
    private int checkpointEntries;

    @Setting(key = CHECKPOINT_INTERVAL_KEY, defaultValue = "PT5M",
            description = "Sign a checkpoint when this much time (ISO 8601 duration) has passed and the chain has grown")
    private String checkpointInterval;

    @Setting(key = CHECKPOINT_WITHIN_KEY, defaultValue = "PT2S",
            description = "Sign a checkpoint covering a new entry at most this long (ISO 8601 duration) after it was appended; the head is also signed at shutdown")
    private String checkpointWithin;

    @Inject
    private PolicyEngine policyEngine;
    @Inject
    private DecisionLogStore store;
    @Inject
    private CheckpointStore checkpoints;
    @Inject
    private ConnectorSigningKey signingKey;
    @Inject
    private Clock clock;
    @Inject
    private TypeManager typeManager;
    @Inject
    private WebService webService;
    @Inject(required = false)
    private MeterRegistry meterRegistry;

    private DecisionLogMeters meters;
    private final AtomicReference<CheckpointingDecisionRecorder> recorder = new AtomicReference<>();
    private final AtomicReference<ECKey> publicKey = new AtomicReference<>();
    private CheckpointSchedule schedule;
    private Monitor monitor;
    private ScheduledExecutorService timer;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        monitor = context.getMonitor();
        // appends counted on the connector's meters when the metrics module provides them
        meters = meterRegistry == null ? null : new DecisionLogMeters(meterRegistry);
        var disclosure = DenialDisclosure.parse(disclosureSetting).orElseThrow(() -> new EdcException(
                "Invalid setting '%s': '%s' is not one of full, constraints, none".formatted(DenialDisclosure.SETTING, disclosureSetting)));
        schedule = schedule();

        var recentDenial = new RecentDenial();
        var entries = new DecisionEntryFactory(new DecisionDigests(typeManager.getMapper()), clock);
        var recording = new RecordingPolicyEngine(policyEngine, entries, this::recordOrThrow, disclosure, recentDenial, monitor);
        context.registerService(PolicyEngine.class, recording);
        context.registerService(DecisionRecorder.class, entry -> {
            var result = record(entry);
            if (result.failed()) {
                monitor.severe("Decision log: could not record a %s decision in scope %s: %s"
                        .formatted(entry.outcome(), entry.scope().wireName(), result.getFailureDetail()));
            }
            return result;
        });
        context.registerService(CheckpointVerificationKey.class, () -> {
            var key = publicKey.get();
            if (key == null) {
                throw new IllegalStateException("the checkpoint key is not loaded yet");
            }
            return key;
        });
        webService.registerResource(ApiContext.PROTOCOL, new DenialReasonResponseFilter(recentDenial));
    }

    @Override
    public void prepare() {
        // the identity may make or rotate its key during its initialisation, so it is taken once all have run
        var key = CheckpointKeyHistory.withKeyId(signingKey());
        takeIntoKeyHistory(key);
        publicKey.set(key.toPublicJWK());
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "kakehashi-decision-log-checkpoints");
            thread.setDaemon(true);
            return thread;
        });
        recorder.set(new CheckpointingDecisionRecorder(store, checkpoints, new CheckpointSigner(key, clock), schedule, clock, timer));
    }

    @Override
    public void start() {
        var period = Math.max(1, Math.min(schedule.every().toSeconds(), 60));
        timer.scheduleAtFixedRate(this::checkpointIfDue, period, period, TimeUnit.SECONDS);
    }

    /**
     * Stops the timer and signs the head, so that a stopped connector leaves no entry uncovered by a checkpoint. Runs
     * before the store's extension closes the store (EDC shuts extensions down in the reverse order of their start).
     */
    @Override
    public void shutdown() {
        if (timer != null) {
            timer.shutdownNow();
        }
        var current = recorder.get();
        if (current != null) {
            try {
                current.checkpointNow().ifPresent(checkpoint -> monitor.info("Decision log: signed the head at shutdown, entry " + checkpoint.sequence()));
            } catch (RuntimeException e) {
                monitor.severe("Decision log: could not sign the head at shutdown; the entries after the last checkpoint are unsigned until the next start: " + e.getMessage());
            }
        }
    }

    private void recordOrThrow(DecisionEntry entry) {
        var result = record(entry);
        if (result.failed()) {
            throw new IllegalStateException(result.getFailureDetail());
        }
    }

    /**
     * The one way into the chain, for the policy engine and the {@link DecisionRecorder} service alike (each logs its
     * own failures).
     */
    private Result<StoredDecision> record(DecisionEntry entry) {
        var current = recorder.get();
        if (current == null) {
            return Result.failure(DecisionRecorder.NOT_RECORDED + ": the decision log is not ready yet");
        }
        var result = current.record(entry);
        if (meters != null) {
            if (result.succeeded()) {
                meters.appended(entry);
            } else {
                meters.failed();
            }
        }
        current.lastCheckpointFailure().ifPresent(e -> monitor.warning("Decision log: could not sign a checkpoint: " + e.getMessage()));
        return result;
    }

    /**
     * Keeps the public half of the signing key in the log's own store before the first checkpoint is signed with it,
     * so that checkpoints stay verifiable after the identity drops the key. A new key is handed over by the previous
     * one when the identity still holds it (a rotated DID key within its grace period).
     */
    private void takeIntoKeyHistory(ECKey key) {
        var before = checkpoints.keys();
        CheckpointKeyHistory.take(checkpoints, key, signingKey::held, clock.instant()).ifPresent(record -> {
            if (!before.isEmpty()) {
                monitor.info("Decision log: checkpoints are now signed with key '%s' (after '%s', %s)".formatted(key.getKeyID(),
                        before.get(before.size() - 1).kid(),
                        record.endorsement() != null ? "handed over by it" : "without a hand-over: the previous key is no longer held"));
            }
        });
    }

    private void checkpointIfDue() {
        try {
            var current = recorder.get();
            if (current != null) {
                current.checkpointIfDue();
            }
        } catch (RuntimeException e) {
            monitor.warning("Decision log: could not sign a checkpoint: " + e.getMessage());
        }
    }

    private CheckpointSchedule schedule() {
        try {
            return new CheckpointSchedule(checkpointEntries,
                    SettingValues.require(SettingValues.nonNegativeDuration(CHECKPOINT_INTERVAL_KEY, checkpointInterval)),
                    SettingValues.require(SettingValues.positiveDuration(CHECKPOINT_WITHIN_KEY, checkpointWithin)));
        } catch (IllegalArgumentException e) {
            throw new EdcException("Invalid settings '%s'/'%s'/'%s': %s".formatted(CHECKPOINT_ENTRIES_KEY, CHECKPOINT_INTERVAL_KEY, CHECKPOINT_WITHIN_KEY, e.getMessage()));
        }
    }

    private ECKey signingKey() {
        var key = signingKey.current();
        if (key == null || !key.isPrivate() || !Curve.P_256.equals(key.getCurve())) {
            throw new EdcException("Decision log: the identity's signing key is not a private EC P-256 key; checkpoints cannot be signed");
        }
        return key;
    }
}
