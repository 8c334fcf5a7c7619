package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.core.spi.outbox.OutboxDelivery;
import io.kakehashi.core.spi.outbox.StatementOutbox;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.policy.decisionlog.CheckpointKeyHistory;
import io.kakehashi.policy.decisionlog.DecisionLogTree;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.ReceiptStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.OkHttpClient;
import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationAgreed;
import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationEvent;
import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationTerminated;
import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationVerified;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessEvent;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessCompleted;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessStarted;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessSuspended;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessTerminated;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.iam.did.spi.resolution.DidResolverRegistry;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.event.Event;
import org.eclipse.edc.spi.event.EventEnvelope;
import org.eclipse.edc.spi.event.EventRouter;
import org.eclipse.edc.spi.event.EventSubscriber;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.ApiContext;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Receipts to the counterparty (docs/decisions/0039). Issues: when this connector agrees to a contract request,
 * terminates a negotiation, starts or terminates a transfer, the decision is appended to its log and a receipt
 * signed with its checkpoint key is sent, alongside the DSP message, to the counterparty's
 * {@code <protocol>/decision-log/v1/receipts} ({@link ReceiptIssuer}). Receives: keeps the receipts counterparties
 * send once verified ({@link ReceiptController}, reached through {@link PublicLogController}) in the {@link ReceiptStore}. {@value #ENABLED_KEY} turns both off.
 */
@Extension(DecisionReceiptsExtension.NAME)
@Provides(ReceiptEndpoint.class)
public class DecisionReceiptsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi decision receipts";
    public static final String ENABLED_KEY = "kakehashi.decisionlog.receipts.enabled";
    public static final String ATTEMPTS_KEY = "kakehashi.decisionlog.receipts.attempts";
    static final String PARTICIPANT_KEY = "edc.participant.id";
    static final String RECEIPTS = "kakehashi.decisionlog.receipts";
    // a checkpoint covers a new entry within kakehashi.decisionlog.checkpoint.within (2 s by default); past this wait
    // the draft is left to the passes, which try again, backing off
    private static final Duration HEAD_WAIT = Duration.ofSeconds(30);
    // longer than the head wait (with room for a slow append): a dead replica's drafts, or a restarted one's on
    // PostgreSQL (a new holder), are taken up this long after they were made
    private static final Duration DRAFT_LEASE = Duration.ofMinutes(1);

    @Setting(key = ENABLED_KEY, defaultValue = "true",
            description = "Send receipts of this connector's decisions to counterparties and keep the receipts they send")
    private boolean enabled;

    @Setting(key = ATTEMPTS_KEY, defaultValue = "8",
            description = "How many times a receipt is sent to a counterparty that cannot be reached or answers 5xx (1 s, 2 s, 4 s … apart, at most 5 min), counted across restarts")
    private int attempts;

    @Inject
    private DecisionRecorder recorder;
    @Inject
    private DecisionLogStore store;
    @Inject
    private CheckpointStore checkpoints;
    @Inject
    private ReceiptStore receipts;
    @Inject
    private ConnectorSigningKey signingKey;
    @Inject
    private StatementOutbox outbox;
    @Inject
    private WebService webService;
    @Inject
    private Clock clock;
    @Inject(required = false)
    private EventRouter eventRouter;
    @Inject(required = false)
    private ContractNegotiationStore negotiations;
    @Inject(required = false)
    private TransferProcessStore transfers;
    @Inject(required = false)
    private OkHttpClient httpClient;
    @Inject(required = false)
    private DidResolverRegistry didResolvers;
    @Inject(required = false)
    private MeterRegistry meterRegistry;

    private ScheduledExecutorService executor;
    private OutboxDelivery delivery;
    private ReceiptIssuer issuer;
    private Monitor monitor;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        context.registerService(ReceiptEndpoint.class, ReceiptEndpoint.none());
        if (!enabled) {
            return;
        }
        if (attempts < 1 || attempts > 100) {
            throw new EdcException("Invalid setting '%s': %d is not between 1 and 100".formatted(ATTEMPTS_KEY, attempts));
        }
        monitor = context.getMonitor();
        var participantId = context.getConfig().getString(PARTICIPANT_KEY, null);
        if (participantId == null || httpClient == null || negotiations == null) {
            monitor.info("Decision receipts: off (the runtime has no participant id, HTTP client or contract negotiations)");
            return;
        }
        var inbound = new InboundProtocolRequests();
        webService.registerResource(ApiContext.PROTOCOL, inbound);
        // served under the public log's root resource (PublicLogController), registered by the witness extension
        context.registerService(ReceiptEndpoint.class, new ReceiptEndpoint(new ReceiptController(participantId, negotiations, transfers,
                base -> new HttpLogPeer(httpClient, base).keys(), new DidKeys(didResolvers), receipts, clock)));
        if (eventRouter == null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "kakehashi-decision-receipts");
            thread.setDaemon(true);
            return thread;
        });
        // receipts wait in the outbox until done: those an earlier run could not deliver are sent once this one starts,
        // and those it could not sign (a crash between the decision and the signed head) are signed then
        issuer = new ReceiptIssuer(recorder, store, checkpoints, new DecisionLogTree(store), () -> CheckpointKeyHistory.withKeyId(signingKey.current()),
                outbox, () -> delivery.wake(), executor, clock, monitor, new ReceiptIssuer.Timing(HEAD_WAIT, DRAFT_LEASE), (outcome, detail) -> count(outcome));
        delivery = new OutboxDelivery(outbox, ReceiptIssuer.KIND, (base, receipt) -> new HttpLogPeer(httpClient, base).sendReceipt(receipt),
                OutboxDelivery.Settings.attempts(attempts), clock, monitor, issuer::delivered);
        var decisions = new ReceiptDecisions(participantId);
        var seen = new SeenRecently(10_000);
        // synchronous: on the thread that changed the state (a counterparty's message is not this connector's decision),
        // and the process is read as EDC just saved it, in EDC's transaction; the receipt is made later
        eventRouter.registerSync(ContractNegotiationEvent.class, new EventSubscriber() {
            @Override
            public <E extends Event> void on(EventEnvelope<E> envelope) {
                var event = envelope.getPayload() instanceof ContractNegotiationAgreed ? ReceiptDecisions.AGREED
                        : envelope.getPayload() instanceof ContractNegotiationVerified ? ReceiptDecisions.VERIFIED
                        : envelope.getPayload() instanceof ContractNegotiationTerminated ? ReceiptDecisions.NEGOTIATION_TERMINATED : null;
                if (event != null && !inbound.active() && envelope.getPayload() instanceof ContractNegotiationEvent payload) {
                    if (!inbound.terminatedByCounterparty(payload.getContractNegotiationId())) {
                        guarded(() -> decisions.negotiation(event, negotiations.findById(payload.getContractNegotiationId()), clock.instant()).ifPresent(issuer::issue));
                    }
                }
            }
        });
        if (transfers != null) {
            eventRouter.registerSync(TransferProcessEvent.class, new EventSubscriber() {
                @Override
                public <E extends Event> void on(EventEnvelope<E> envelope) {
                    var event = envelope.getPayload() instanceof TransferProcessStarted ? ReceiptDecisions.STARTED
                            : envelope.getPayload() instanceof TransferProcessTerminated ? ReceiptDecisions.TRANSFER_TERMINATED
                            : envelope.getPayload() instanceof TransferProcessSuspended ? ReceiptDecisions.TRANSFER_SUSPENDED
                            : envelope.getPayload() instanceof TransferProcessCompleted ? ReceiptDecisions.TRANSFER_COMPLETED : null;
                    if (event != null && !inbound.active() && envelope.getPayload() instanceof TransferProcessEvent payload) {
                        guarded(() -> {
                            if (inbound.terminatedByCounterparty(payload.getTransferProcessId())) {
                                return;
                            }
                            var process = transfers.findById(payload.getTransferProcessId());
                            // EDC 0.15.1 publishes a provider's TransferProcessStarted more than once for one start: one decision,
                            // one entry; a transfer may be suspended, resumed and suspended again, each suspension a decision
                            var occasion = ReceiptDecisions.TRANSFER_SUSPENDED.equals(event) && process != null ? " " + process.getStateTimestamp() : "";
                            if (!seen.firstTime(payload.getTransferProcessId() + " " + event + occasion)) {
                                return;
                            }
                            var agreement = process == null || process.getContractId() == null ? null : negotiations.findContractAgreement(process.getContractId());
                            decisions.transfer(event, process, agreement, clock.instant()).ifPresent(issuer::issue);
                        });
                    }
                }
            });
        }
    }

    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            // a receipt never fails the decision it is about
            monitor.warning("Decision receipts: cannot prepare a receipt: " + e.getMessage());
        }
    }

    private void count(ReceiptIssuer.Outcome outcome) {
        if (meterRegistry != null) {
            Counter.builder(RECEIPTS).description("Receipts of this connector's decisions sent to counterparties, by outcome")
                    .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).register(meterRegistry).increment();
        }
    }

    @Override
    public void start() {
        if (delivery != null) {
            delivery.start();
            issuer.start();
        }
    }

    @Override
    public void shutdown() {
        if (delivery != null) {
            delivery.close();
        }
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The keys seen lately, at most {@code capacity}, the oldest forgotten first. Thread-safe. */
    static final class SeenRecently {

        private final java.util.Map<String, Boolean> seen;

        SeenRecently(int capacity) {
            this.seen = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
                    return size() > capacity;
                }
            });
        }

        /** True the first time {@code key} is given (while it is remembered), false after. */
        boolean firstTime(String key) {
            return seen.putIfAbsent(key, Boolean.TRUE) == null;
        }
    }
}
