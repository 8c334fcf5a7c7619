package io.kakehashi.samples.support;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The configuration of one connector on this machine: its participant id, its working directory, loopback ports
 * for each web context, and a management API key. {@link #properties()} gives the settings file the launcher reads.
 * <p>
 * Not thread-safe; build it once, then share it read-only.
 */
public final class ConnectorSettings {

    public static final String DSP_2025_PROTOCOL = "dataspace-protocol-http:2025-1";
    public static final String DSP_2025_PATH = "/2025-1";

    /** The setting prefixes of EDC 0.15.1's state machines. */
    public static final java.util.List<String> STATE_MACHINES = java.util.List.of("edc.negotiation.consumer", "edc.negotiation.provider",
            "edc.transfer", "edc.dataplane", "edc.policy.monitor", "edc.data.plane.selector");

    private final String participantId;
    private final Path directory;
    private final int webPort = Ports.freePort();
    private final int managementPort = Ports.freePort();
    private final int protocolPort = Ports.freePort();
    private final int controlPort = Ports.freePort();
    private final int auditorPort = Ports.freePort();
    private final String managementKey = "mgmt-" + UUID.randomUUID();
    private final String auditorKey = "audit-" + UUID.randomUUID();
    private String vaultPassword = "vault-" + UUID.randomUUID();
    private final Map<String, String> extra = new LinkedHashMap<>();
    private final java.util.Set<String> removed = new java.util.HashSet<>();

    public ConnectorSettings(String participantId, Path directory) {
        this.participantId = participantId;
        this.directory = directory.toAbsolutePath();
    }

    /**
     * Adds or replaces one setting.
     */
    public ConnectorSettings with(String key, String value) {
        extra.put(key, value);
        return this;
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
     * Leaves out the web contexts only a Kakehashi connector serves (the auditor API), for a stock EDC runtime that
     * reads the same settings: EDC would otherwise configure authentication for a context it has no port for.
     */
    public ConnectorSettings withoutKakehashiContexts() {
        for (var key : List.of("port", "path", "auth.type", "auth.key")) {
            without("web.http.auditor." + key);
        }
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

    public String participantId() {
        return participantId;
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
        return "http://127.0.0.1:%d/auditor".formatted(auditorPort);
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
        return "http://127.0.0.1:%d/management".formatted(managementPort);
    }

    /** The DSP base address; EDC appends the protocol version path. */
    public String protocolUrl() {
        return "http://127.0.0.1:%d/protocol".formatted(protocolPort);
    }

    /** The address peers use to talk DSP 2025-1 to this connector. */
    public String dspAddress() {
        return protocolUrl() + DSP_2025_PATH;
    }

    /** Where the connector writes its public key at start. */
    public Path publicKeyFile() {
        return directory.resolve("data/identity.jwk.json");
    }

    /** The trust list the connector reads its peers' keys from. */
    public Path trustListFile() {
        return directory.resolve("data/trusted-peers.json");
    }

    /**
     * Makes this connector trust {@code peer}: writes the peer's public key (which the peer wrote at its start) into
     * this connector's trust list, keeping the peers already there. The connector re-reads the list when it changes.
     */
    public void trust(ConnectorSettings peer) {
        trust(peer, Map.of());
    }

    /**
     * Like {@link #trust(ConnectorSettings)}, with what this connector's operator vouches for about the peer (e.g.
     * {@code countryOfRegistration}, {@code legalName}).
     */
    public void trust(ConnectorSettings peer, Map<String, String> vouchedFor) {
        var mapper = ManagementClient.mapper();
        var listFile = trustListFile();
        try {
            var list = Files.exists(listFile) ? (ObjectNode) mapper.readTree(listFile.toFile()) : mapper.createObjectNode();
            var publicKey = mapper.readTree(peer.publicKeyFile().toFile());
            if (vouchedFor.isEmpty()) {
                list.set(peer.participantId(), publicKey);
            } else {
                var entry = list.putObject(peer.participantId());
                entry.set("publicKey", publicKey);
                vouchedFor.forEach(entry::put);
            }
            Files.createDirectories(listFile.getParent());
            var partial = Files.createTempFile(listFile.getParent(), "trusted-peers", ".part");
            mapper.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), list);
            Files.move(partial, listFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make %s trust %s".formatted(participantId, peer.participantId()), e);
        }
    }

    /** The settings the launcher reads, in a stable order. */
    public Map<String, String> properties() {
        var p = new LinkedHashMap<String, String>();
        p.put("edc.participant.id", participantId);
        p.put("edc.component.id", participantId);
        p.put("kakehashi.web.host", "127.0.0.1");
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
        p.put("kakehashi.decisionlog.dir", decisionLogDirectory().toString());
        p.put("edc.dsp.callback.address", protocolUrl());
        p.put("edc.transfer.proxy.token.signer.privatekey.alias", "dataplane-token-signer");
        p.put("edc.transfer.proxy.token.verifier.publickey.alias", "dataplane-token-verifier");
        p.put("kakehashi.vault.path", directory.resolve("data/vault.p12").toString());
        p.put("kakehashi.identity.trust-list", trustListFile().toString());
        p.put("kakehashi.identity.public-key.file", publicKeyFile().toString());
        p.putAll(extra);
        p.keySet().removeAll(removed);
        return p;
    }
}
