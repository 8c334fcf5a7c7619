package io.kakehashi.testfixtures;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of one EDC runtime that a test boots in its own JVM: the participant and component id, the default,
 * management (token-authenticated), protocol and control web contexts on free loopback ports, and the DSP callback
 * address. A test adds what its extensions need with {@link #put}. Not thread-safe: one test builds it.
 */
public final class RuntimeSettings {

    public static final String MANAGEMENT_PATH = "/management";
    public static final String PROTOCOL_PATH = "/protocol";

    private final String id;
    private final int managementPort = Ports.freePort();
    private final int protocolPort = Ports.freePort();
    private final Map<String, String> settings = new LinkedHashMap<>();

    /**
     * @param id            the participant id, also the component id
     * @param managementKey the management API's key ({@code tokenbased} authentication)
     */
    public RuntimeSettings(String id, String managementKey) {
        this.id = id;
        put("edc.participant.id", id);
        put("edc.component.id", id);
        put("web.http.port", String.valueOf(Ports.freePort()));
        put("web.http.path", "/api");
        put("web.http.management.port", String.valueOf(managementPort));
        put("web.http.management.path", MANAGEMENT_PATH);
        put("web.http.management.auth.type", "tokenbased");
        put("web.http.management.auth.key", managementKey);
        put("web.http.protocol.port", String.valueOf(protocolPort));
        put("web.http.protocol.path", PROTOCOL_PATH);
        put("web.http.control.port", String.valueOf(Ports.freePort()));
        put("web.http.control.path", "/control");
        put("edc.dsp.callback.address", protocolUrl());
    }

    /** Adds or replaces a setting. */
    public RuntimeSettings put(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /** The data plane's token keys under the aliases the connector's key bootstrap makes them. */
    public RuntimeSettings dataPlaneTokenKeys() {
        put("edc.transfer.proxy.token.signer.privatekey.alias", "dataplane-token-signer");
        return put("edc.transfer.proxy.token.verifier.publickey.alias", "dataplane-token-verifier");
    }

    public String id() {
        return id;
    }

    public int managementPort() {
        return managementPort;
    }

    public int protocolPort() {
        return protocolPort;
    }

    /** {@code http://127.0.0.1:<port>/management}. */
    public String managementUrl() {
        return "http://127.0.0.1:%d%s".formatted(managementPort, MANAGEMENT_PATH);
    }

    /** {@code http://127.0.0.1:<port>/protocol}, the DSP callback address. */
    public String protocolUrl() {
        return "http://127.0.0.1:%d%s".formatted(protocolPort, PROTOCOL_PATH);
    }

    /** A copy of the settings, for {@code ConfigFactory.fromMap}. */
    public Map<String, String> asMap() {
        return new LinkedHashMap<>(settings);
    }
}
