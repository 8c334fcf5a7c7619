package io.kakehashi.samples.support;

import io.kakehashi.testfixtures.Ports;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The configuration of one connector on this machine: its name and DID (its participant id), its working directory,
 * loopback ports for each web context, a management and an auditor API key, and the dataspace authorities whose
 * credentials it trusts. {@link #properties()} gives the settings file the launcher reads.
 * <p>
 * Not thread-safe; build it once, then share it read-only.
 */
public final class ConnectorSettings {

    public static final String DSP_2025_PROTOCOL = "dataspace-protocol-http:2025-1";
    public static final String DSP_2025_PATH = "/2025-1";

    /** The setting prefixes of EDC 0.15.1's state machines. */
    public static final List<String> STATE_MACHINES = List.of("edc.negotiation.consumer", "edc.negotiation.provider",
            "edc.transfer", "edc.dataplane", "edc.policy.monitor", "edc.data.plane.selector");

    private final String name;
    private String did;
    private String host = "127.0.0.1";
    private String scheme = "http";
    private final List<String> launchPrefix = new ArrayList<>();
    private final Path directory;
    private final int webPort = Ports.freePort();
    private final int managementPort = Ports.freePort();
    private final int protocolPort = Ports.freePort();
    private final int controlPort = Ports.freePort();
    private final int auditorPort = Ports.freePort();
    private final int identityPort = Ports.freePort();
    private final int grpcPort = Ports.freePort();
    private final int metricsPort = Ports.freePort();
    private final int consolePort = Ports.freePort();
    private final String managementKey = "mgmt-" + UUID.randomUUID();
    private final String auditorKey = "audit-" + UUID.randomUUID();
    private final String metricsKey = "metrics-" + UUID.randomUUID();
    private String vaultPassword = "vault-" + UUID.randomUUID();
    private final Map<String, String> extra = new LinkedHashMap<>();
    private final Set<String> removed = new HashSet<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> programArguments = new ArrayList<>(logLevelArgument());
    private final Map<String, String> environment = new LinkedHashMap<>();
    private javax.net.ssl.SSLContext clientTls;

    /**
     * @param name      a short name for the connector (its component id and log name); its participant id is its DID,
     *                  {@code did:web:127.0.0.1%3A<identity port>:identity}
     * @param directory where it keeps its files
     */
    public ConnectorSettings(String name, Path directory) {
        this.name = name;
        this.did = "did:web:127.0.0.1%3A" + identityPort + ":identity";
        this.directory = directory.toAbsolutePath();
        // the metrics key comes from the environment or the vault only, never the settings file
        environment.put("WEB_HTTP_METRICS_AUTH_KEY", metricsKey);
    }

    /**
     * Adds or replaces one setting, also one left out before with {@link #without}.
     */
    public ConnectorSettings with(String key, String value) {
        extra.put(key, value);
        removed.remove(key);
        return this;
    }

    /**
     * Puts this connector on its own network host: its DID, its addresses and its bind address name {@code hostName},
     * every URL is {@code https}, and the plain-http loopback shortcut is left out. The caller gives the TLS settings
     * ({@code kakehashi.tls.*}) and the command that runs the JVM on that host ({@link #launchIn}).
     */
    public ConnectorSettings onHost(String hostName) {
        this.host = hostName;
        this.scheme = "https";
        this.did = "did:web:" + hostName + "%3A" + identityPort + ":identity";
        return this;
    }

    /**
     * The TLS context the sample's own clients ({@link ConnectorProcess#management()}, {@link AuditorClient}) trust
     * this connector's certificate with, such as a test dataspace CA's; unset, the JVM's default trust.
     */
    public ConnectorSettings clientTls(javax.net.ssl.SSLContext tls) {
        this.clientTls = tls;
        return this;
    }

    /** The context set with {@link #clientTls(javax.net.ssl.SSLContext)}, or null for the JVM's default trust. */
    public javax.net.ssl.SSLContext clientTls() {
        return clientTls;
    }

    /** The host name this connector's addresses carry ({@code 127.0.0.1} unless {@link #onHost}). */
    public String host() {
        return host;
    }

    /** Runs the connector's JVM through this command, such as {@code ip netns exec <namespace>}. */
    public ConnectorSettings launchIn(List<String> prefix) {
        launchPrefix.clear();
        launchPrefix.addAll(prefix);
        return this;
    }

    /** The command the JVM's command line is appended to; empty to run it directly. */
    public List<String> launchPrefix() {
        return List.copyOf(launchPrefix);
    }

    /** Adds an option to the connector's JVM command line (after the launcher's own), such as a trust store. */
    public ConnectorSettings jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** Adds a variable to the connector's environment, for a secret that must not be in the settings file. */
    public ConnectorSettings environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** The variables added with {@link #environment(String, String)}. */
    public Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    /** The environment variable that sets every sample connector's log level (EDC's DEBUG, INFO, WARNING, SEVERE). */
    public static final String LOG_LEVEL_VARIABLE = "KAKEHASHI_SAMPLE_LOG_LEVEL";

    /**
     * EDC's {@code --log-level} for every connector a sample, test or benchmark starts, from {@value #LOG_LEVEL_VARIABLE}:
     * DEBUG shows each state transition with its time, which is how a slow or stuck step is found.
     */
    private static List<String> logLevelArgument() {
        var level = System.getenv(LOG_LEVEL_VARIABLE);
        if (level == null || level.isBlank()) {
            return List.of();
        }
        if (!Set.of("DEBUG", "INFO", "WARNING", "SEVERE").contains(level.trim().toUpperCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("%s must be DEBUG, INFO, WARNING or SEVERE, not %s".formatted(LOG_LEVEL_VARIABLE, level));
        }
        return List.of("--log-level=" + level.trim().toUpperCase(java.util.Locale.ROOT));
    }

    /** Adds an argument after the main class, such as EDC's {@code --log-level=DEBUG}. */
    public ConnectorSettings programArgument(String argument) {
        programArguments.add(argument);
        return this;
    }

    /** The arguments added with {@link #programArgument(String)}, in order. */
    public List<String> programArguments() {
        return List.copyOf(programArguments);
    }

    /** The options added with {@link #jvmOption(String)}, in order. */
    public List<String> jvmOptions() {
        return List.copyOf(jvmOptions);
    }

    /**
     * Leaves one setting out of {@link #properties()}.
     */
    public ConnectorSettings without(String key) {
        extra.remove(key);
        removed.add(key);
        return this;
    }

    /**
     * Leaves out the web contexts only a Kakehashi connector serves (auditor API, identity), for a stock EDC runtime that
     * reads the same settings: EDC would otherwise configure authentication for a context it has no port for.
     */
    public ConnectorSettings withoutKakehashiContexts() {
        for (var key : List.of("port", "path", "auth.type", "auth.key")) {
            without("web.http.auditor." + key);
        }
        without("web.http.identity.port");
        without("web.http.identity.path");
        without("web.http.metrics.port");
        without("web.http.metrics.path");
        without("web.http.console.port");
        without("web.http.console.path");
        environment.remove("WEB_HTTP_METRICS_AUTH_KEY");
        without("kakehashi.transfer.grpc.port");
        return this;
    }

    /**
     * Keeps every store in the given PostgreSQL database.
     */
    public ConnectorSettings postgres(String jdbcUrl, String user) {
        return with("edc.datasource.default.url", jdbcUrl).with("edc.datasource.default.user", user);
    }

    /**
     * Sets how long every state machine (negotiation, transfer, data plane, policy monitor, selector) idles between
     * iterations when it has nothing to do. EDC's default is 1 s.
     */
    public ConnectorSettings stateMachineWait(long millis) {
        for (var machine : STATE_MACHINES) {
            with(machine + ".state-machine.iteration-wait-millis", String.valueOf(millis));
        }
        return this;
    }

    /** The participant id peers address this connector by: its DID, unless a test runtime sets another. */
    public String participantId() {
        return extra.getOrDefault("edc.participant.id", did);
    }

    /** The connector's did:web. */
    public String did() {
        return did;
    }

    public String name() {
        return name;
    }

    public Path directory() {
        return directory;
    }

    public String managementKey() {
        return managementKey;
    }

    /** The key of the read-only auditor API, distinct from the management key. */
    public String auditorKey() {
        return auditorKey;
    }

    public String auditorUrl() {
        return "%s://%s:%d/auditor".formatted(scheme, host, auditorPort);
    }

    /** Where the connector keeps its decision log (the embedded default's files). */
    public Path decisionLogDirectory() {
        return directory.resolve("data/decision-log");
    }

    /** The vault password the connector gets through its environment; {@code null} for none. */
    public String vaultPassword() {
        return vaultPassword;
    }

    public ConnectorSettings vaultPassword(String password) {
        this.vaultPassword = password;
        return this;
    }

    public String managementUrl() {
        return "%s://%s:%d/management".formatted(scheme, host, managementPort);
    }

    /** The key a scraper sends in {@code x-api-key} to the metrics endpoint (given in the connector's environment). */
    public String metricsKey() {
        return metricsKey;
    }

    /** The Prometheus endpoint: loopback, its own key. */
    public String metricsUrl() {
        return "http://127.0.0.1:%d/metrics".formatted(metricsPort);
    }

    /** The web console (connector-core/console): static files and the same-origin door to the management and auditor APIs. */
    public String consoleUrl() {
        return "%s://%s:%d/console/".formatted(scheme, host, consolePort);
    }

    /** The control API (data-plane signaling, selector, transfer-process callbacks): loopback, authenticated. */
    public String controlUrl() {
        return "http://127.0.0.1:%d/control".formatted(controlPort);
    }

    /** The DSP base address; EDC appends the protocol version path. */
    public String protocolUrl() {
        return "%s://%s:%d/protocol".formatted(scheme, host, protocolPort);
    }

    /** The address peers use to talk DSP 2025-1 to this connector. */
    public String dspAddress() {
        return protocolUrl() + DSP_2025_PATH;
    }

    /** Where the connector reads its verifiable credentials from (one {@code *.jwt} each). */
    public Path credentialsDirectory() {
        return directory.resolve("data/credentials");
    }

    /**
     * Makes this connector trust the credentials {@code issuerDid} issues (every credential type), as one more trust
     * anchor under {@code alias}.
     */
    public ConnectorSettings trustIssuer(String alias, String issuerDid) {
        return with("kakehashi.identity.trusted-issuers." + alias + ".id", issuerDid);
    }

    /** The settings the launcher reads, in a stable order. */
    public Map<String, String> properties() {
        var p = new LinkedHashMap<String, String>();
        p.put("edc.participant.id", did);
        p.put("edc.component.id", name);
        // one replica, restarted under the same name: it releases the leases its previous process held
        p.put("kakehashi.replica.id", name + "-1");
        p.put("kakehashi.identity.did", did);
        p.put("web.http.identity.port", String.valueOf(identityPort));
        p.put("web.http.identity.path", "/identity");
        if (!"https".equals(scheme)) {
            // one machine: DID documents, credential services and status lists of 127.0.0.1 over http
            p.put("kakehashi.identity.did.http-loopback", "true");
        }
        p.put("kakehashi.identity.credentials.dir", credentialsDirectory().toString());
        // a revocation shows at the next request rather than after the default five minutes
        p.put("kakehashi.identity.status-list.cache", "PT1S");
        p.put("kakehashi.web.host", host);
        p.put("web.http.port", String.valueOf(webPort));
        p.put("web.http.path", "/api");
        p.put("web.http.management.port", String.valueOf(managementPort));
        p.put("web.http.management.path", "/management");
        p.put("web.http.management.auth.type", "tokenbased");
        p.put("web.http.management.auth.key", managementKey);
        p.put("web.http.protocol.port", String.valueOf(protocolPort));
        p.put("web.http.protocol.path", "/protocol");
        p.put("web.http.control.port", String.valueOf(controlPort));
        p.put("web.http.control.path", "/control");
        p.put("web.http.auditor.port", String.valueOf(auditorPort));
        p.put("web.http.auditor.path", "/auditor");
        p.put("web.http.auditor.auth.type", "tokenbased");
        p.put("web.http.auditor.auth.key", auditorKey);
        p.put("web.http.metrics.port", String.valueOf(metricsPort));
        p.put("web.http.metrics.path", "/metrics");
        p.put("web.http.console.port", String.valueOf(consolePort));
        p.put("web.http.console.path", "/console");
        p.put("kakehashi.decisionlog.dir", decisionLogDirectory().toString());
        p.put("kakehashi.outbox.dir", directory.resolve("data/outbox").toString());
        p.put("kakehashi.catalog.dir", directory.resolve("data/catalog").toString());
        p.put("kakehashi.deletion.dir", directory.resolve("data/deletion").toString());
        p.put("kakehashi.consent.dir", directory.resolve("data/consent").toString());
        p.put("kakehashi.transfer.narrowed-directory", directory.resolve("data/narrowed-sources").toString());
        p.put("kakehashi.ai.jobs.consented-directory", directory.resolve("data/consented-inputs").toString());
        p.put("kakehashi.ai.models.store-dir", directory.resolve("data/models/sealed").toString());
        p.put("kakehashi.ai.models.predictions-dir", directory.resolve("data/models/predictions").toString());
        p.put("kakehashi.ai.models.run-reports-file", directory.resolve("data/models/run-reports.jsonl").toString());
        p.put("kakehashi.transfer.grpc.port", String.valueOf(grpcPort));
        p.put("edc.dsp.callback.address", protocolUrl());
        p.put("edc.transfer.proxy.token.signer.privatekey.alias", "dataplane-token-signer");
        p.put("edc.transfer.proxy.token.verifier.publickey.alias", "dataplane-token-verifier");
        p.put("kakehashi.vault.path", directory.resolve("data/vault.p12").toString());
        p.putAll(extra);
        p.keySet().removeAll(removed);
        return p;
    }
}
