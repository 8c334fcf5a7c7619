package io.kakehashi.policy.decisionlog.runtime;

import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.core.spi.settings.SettingValues;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.policy.decisionlog.CheckpointKeyHistory;
import io.kakehashi.policy.decisionlog.Cosignatures;
import io.kakehashi.policy.decisionlog.HeadWitness;
import io.kakehashi.policy.decisionlog.SignedTreeHeads;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.WitnessRecord;
import io.kakehashi.policy.decisionlog.spi.WitnessRecord.Kind;
import io.kakehashi.policy.decisionlog.spi.WitnessStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.OkHttpClient;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiationStates;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.iam.did.spi.resolution.DidResolverRegistry;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.ApiContext;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Witnessed log heads (docs/decisions/0036): serves this connector's signed tree head, consistency proofs and key
 * history to any peer on the protocol context ({@link PublicLogController}), keeps the countersignatures witnesses
 * send back, and — with {@value #PEERS_KEY} set — witnesses those peers every {@value #INTERVAL_KEY}: fetches each
 * one's signed tree head, verifies it with the peer's key (pinned at the first round; checked against the DID
 * document when the key id is a DID URL and a DID resolver is there), checks it extends the head witnessed before,
 * countersigns it with this connector's checkpoint key, keeps it, and sends the countersignature to the peer. An
 * inconsistent head is kept with the earlier one as evidence and not countersigned; it is logged as a warning and
 * counted ({@value #ROUNDS} with {@code outcome=conflict}).
 */
@Extension(DecisionLogWitnessExtension.NAME)
public class DecisionLogWitnessExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi decision log witness";
    public static final String PEERS_KEY = "kakehashi.decisionlog.witness.peers";
    public static final String INTERVAL_KEY = "kakehashi.decisionlog.witness.interval";
    public static final String AGREEMENTS_KEY = "kakehashi.decisionlog.witness.agreements";
    static final String ROUNDS = "kakehashi.decisionlog.witness.rounds";
    private static final int MAX_AGREEMENT_PEERS = 1000;

    @Setting(key = PEERS_KEY, required = false,
            description = "Comma-separated base URLs of the protocol contexts of the connectors this one witnesses (e.g. https://maker.example:8282/protocol)")
    private String peersSetting;

    @Setting(key = AGREEMENTS_KEY, defaultValue = "false",
            description = "Also witness the counterparties of this connector's finalized contract negotiations (their DSP address without the version path)")
    private boolean agreements;

    @Setting(key = INTERVAL_KEY, defaultValue = "PT1M", description = "How often (ISO 8601 duration) each peer's signed tree head is witnessed")
    private String intervalSetting;

    @Inject
    private DecisionLogStore store;
    @Inject
    private CheckpointStore checkpoints;
    @Inject
    private WitnessStore witnessStore;
    @Inject
    private ConnectorSigningKey signingKey;
    @Inject
    private WebService webService;
    @Inject
    private Clock clock;
    @Inject(required = false)
    private OkHttpClient httpClient;
    @Inject(required = false)
    private DidResolverRegistry didResolvers;
    @Inject(required = false)
    private MeterRegistry meterRegistry;
    @Inject(required = false)
    private ContractNegotiationStore negotiations;
    @Inject(required = false)
    private ReceiptEndpoint receiptEndpoint;

    private List<String> peers;
    private Duration interval;
    private Monitor monitor;
    private ScheduledExecutorService timer;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        monitor = context.getMonitor();
        peers = parsePeers(peersSetting);
        try {
            interval = SettingValues.require(SettingValues.duration(INTERVAL_KEY, intervalSetting, Duration.ofSeconds(1), Duration.ofDays(1)));
        } catch (IllegalArgumentException e) {
            throw new EdcException("Invalid setting '%s': %s".formatted(INTERVAL_KEY, e.getMessage()));
        }
        if ((!peers.isEmpty() || agreements) && httpClient == null) {
            throw new EdcException("Decision log witness: '%s' is set but the runtime has no HTTP client".formatted(PEERS_KEY));
        }
        webService.registerResource(ApiContext.PROTOCOL, new PublicLogController(store, checkpoints, witnessStore, this::unknownWitness, clock, receiptEndpoint));
    }

    @Override
    public void start() {
        if (peers.isEmpty() && !(agreements && negotiations != null)) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "kakehashi-decision-log-witness");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::witnessAll, Math.min(interval.toMillis(), 1000), interval.toMillis(), TimeUnit.MILLISECONDS);
        monitor.info("Decision log witness: witnessing %d peers%s every %s".formatted(peers.size(), agreements ? " and the counterparties of finalized negotiations" : "", interval));
    }

    @Override
    public void shutdown() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /**
     * One round over every peer; a peer that fails does not stop the others.
     */
    void witnessAll() {
        ECKey key;
        try {
            key = CheckpointKeyHistory.withKeyId(signingKey.current());
        } catch (RuntimeException e) {
            monitor.warning("Decision log witness: no signing key: " + e.getMessage());
            return;
        }
        var witness = new HeadWitness(key, this::didKeyProblem);
        var round = new java.util.LinkedHashSet<>(peers);
        if (agreements && negotiations != null) {
            try {
                round.addAll(agreementPeers());
            } catch (RuntimeException e) {
                monitor.warning("Decision log witness: cannot read the counterparties of finalized negotiations: " + e.getMessage());
            }
        }
        for (var peer : round) {
            try {
                witnessOne(witness, peer);
            } catch (RuntimeException e) {
                count("failed");
                monitor.warning("Decision log witness: could not witness %s: %s".formatted(peer, e.getMessage()));
            }
        }
    }

    private void witnessOne(HeadWitness witness, String peer) {
        var remote = new HttpLogPeer(httpClient, peer);
        var all = witnessStore.all();
        var last = lastWitnessed(all, peer);
        var outcome = witness.witness(peer, remote, last, clock.instant());
        if (outcome.record() != null) {
            witnessStore.save(outcome.record());
        }
        if (outcome.conflict()) {
            count("conflict");
            monitor.warning("Decision log witness: %s signed a tree head inconsistent with the one witnessed before, not countersigned; both heads are kept: %s"
                    .formatted(peer, outcome.problem()));
            return;
        }
        if (outcome.problem() != null) {
            count("failed");
            monitor.warning("Decision log witness: %s not witnessed: %s".formatted(peer, outcome.problem()));
            return;
        }
        count(outcome.countersigned() ? "cosigned" : "unchanged");
        // (re)send the newest countersignature: the peer keeps it once (it may not have known this witness before)
        var newest = outcome.countersigned() ? Optional.of(outcome.record()) : last;
        newest.map(WitnessRecord::cosignature).ifPresent(cosignature -> {
            try {
                var status = remote.send(cosignature);
                if (status != 200) {
                    monitor.debug("Decision log witness: %s answered %d to a countersignature".formatted(peer, status));
                }
            } catch (IOException e) {
                monitor.debug("Decision log witness: could not send a countersignature to %s: %s".formatted(peer, e.getMessage()));
            }
        });
    }

    /**
     * The base URLs of the counterparties of finalized negotiations: their DSP address without a trailing version
     * segment ({@code …/protocol/2025-1} → {@code …/protocol}).
     */
    private java.util.Set<String> agreementPeers() {
        var query = QuerySpec.Builder.newInstance().filter(Criterion.criterion("state", "=", ContractNegotiationStates.FINALIZED.code()))
                .limit(MAX_AGREEMENT_PEERS).build();
        try (var found = negotiations.queryNegotiations(query)) {
            var result = new java.util.LinkedHashSet<String>();
            found.map(ContractNegotiation::getCounterPartyAddress).filter(java.util.Objects::nonNull).map(DecisionLogWitnessExtension::protocolBase)
                    .filter(java.util.Objects::nonNull).forEach(result::add);
            return result;
        }
    }

    static String protocolBase(String dspAddress) {
        var address = dspAddress.endsWith("/") ? dspAddress.substring(0, dspAddress.length() - 1) : dspAddress;
        var slash = address.lastIndexOf('/');
        if (slash > "https://".length() && address.substring(slash + 1).matches("\\d{4}-\\d+|v\\d+(\\.\\d+)*")) {
            address = address.substring(0, slash);
        }
        try {
            return parsePeers(address).stream().findFirst().orElse(null);
        } catch (EdcException e) {
            return null;
        }
    }

    static Optional<WitnessRecord> lastWitnessed(List<WitnessRecord> records, String peer) {
        WitnessRecord last = null;
        for (var record : records) {
            if (record.kind() == Kind.WITNESSED && record.peer().equals(peer)) {
                last = record;
            }
        }
        return Optional.ofNullable(last);
    }

    /**
     * Why a countersignature's witness cannot be named, or empty: it is named by the key of a peer this connector
     * witnesses (which signs its countersignatures with its checkpoint key), or by its DID document.
     */
    private Optional<String> unknownWitness(Cosignatures.Cosignature cosignature) {
        var thumbprint = SignedTreeHeads.thumbprint(cosignature.witnessKey());
        for (var record : witnessStore.all()) {
            if (record.kind() == Kind.WITNESSED && record.peerKey() != null && thumbprint.equals(thumbprintOf(record.peerKey()))) {
                return Optional.empty();
            }
        }
        var kid = cosignature.witnessKid();
        if (kid != null && kid.startsWith("did:") && didResolvers != null) {
            return didKeyProblem(kid, cosignature.witnessKey()).map(problem -> "the witness is not known: " + problem);
        }
        return Optional.of("the witness is not known: its key is not that of a peer this connector witnesses, and its key id is not a DID URL this connector can resolve");
    }

    private Optional<String> didKeyProblem(String kid, ECKey key) {
        return new DidKeys(didResolvers).problem(kid, key);
    }

    private static String thumbprintOf(String jwk) {
        try {
            return SignedTreeHeads.thumbprint(ECKey.parse(jwk));
        } catch (java.text.ParseException | IllegalArgumentException e) {
            return "";
        }
    }

    private void count(String outcome) {
        if (meterRegistry != null) {
            Counter.builder(ROUNDS).description("Rounds of witnessing a peer's decision log head, by outcome (cosigned, unchanged, conflict, failed)")
                    .tag("outcome", outcome).register(meterRegistry).increment();
        }
    }

    static List<String> parsePeers(String setting) {
        var result = new ArrayList<String>();
        if (setting == null || setting.isBlank()) {
            return result;
        }
        for (var peer : Arrays.stream(setting.split(",")).map(String::trim).filter(value -> !value.isEmpty()).toList()) {
            URI uri;
            try {
                uri = URI.create(peer);
            } catch (IllegalArgumentException e) {
                throw new EdcException("Invalid setting '%s': '%s' is not a URL".formatted(PEERS_KEY, peer));
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null || uri.getQuery() != null) {
                throw new EdcException("Invalid setting '%s': '%s' is not an http(s) base URL".formatted(PEERS_KEY, peer));
            }
            result.add(peer.endsWith("/") ? peer.substring(0, peer.length() - 1) : peer);
        }
        return result;
    }
}
