package io.kakehashi.samples.tck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The DSP TCK's configuration for one connector under test: the connector's DSP and webhook addresses, the loopback
 * address of the TCK's own callback server, the JSON-LD context EDC adds to its messages, and the ids of the data the
 * tck-extension seeds ({@code dsp-tck.properties}).
 * <p>
 * The TCK's JUnit extension reads every key from JUnit configuration parameters, falling back to system properties
 * and then environment variables; it reads additional JSON-LD contexts from system properties only, when its message
 * serializer is first loaded. So all of it goes into system properties before the first test runs.
 * <p>
 * Immutable.
 */
final class TckConfiguration {

    static final String SEED_IDS_RESOURCE = "dsp-tck.properties";
    // the context EDC puts in every DSP message next to the DSP one; the TCK needs the document to expand them
    static final String EDC_CONTEXT_RESOURCE = "document/dspace-edc-context-v1.jsonld";
    static final String EDC_CONTEXT_URI = "https://w3id.org/edc/dspace/v0.0.1";

    private static final String SYSTEM_LAUNCHER = "org.eclipse.dataspacetck.dsp.system.DspSystemLauncher";
    // the tck-extension's identity accepts any token, but EDC refuses a DSP request without one
    private static final String AUTHORIZATION = "kakehashi-tck-placeholder-token";

    private final Map<String, String> properties;

    private TckConfiguration(Map<String, String> properties) {
        this.properties = Map.copyOf(properties);
    }

    /**
     * The configuration for {@code connector}, with the TCK's callback server on {@code callbackPort} of 127.0.0.1
     * and EDC's JSON-LD context written to {@code contextFile}.
     */
    static TckConfiguration of(ConnectorUnderTest connector, int callbackPort, Path contextFile) {
        var settings = connector.settings();
        var p = new LinkedHashMap<String, String>(seedIds());
        p.put("dataspacetck.launcher", SYSTEM_LAUNCHER);
        p.put("dataspacetck.ansi", "false");
        p.put("dataspacetck.debug", "true");
        p.put("dataspacetck.host", "127.0.0.1");
        p.put("dataspacetck.port", String.valueOf(callbackPort));
        p.put("dataspacetck.callback.address", "http://127.0.0.1:%d".formatted(callbackPort));
        p.put("dataspacetck.dsp.local.connector", "false");
        p.put("dataspacetck.dsp.connector.agent.id", settings.participantId());
        p.put("dataspacetck.dsp.connector.http.url", settings.dspAddress());
        p.put("dataspacetck.dsp.connector.http.base.url", settings.protocolUrl());
        p.put("dataspacetck.dsp.connector.http.headers.authorization", AUTHORIZATION);
        p.put("dataspacetck.dsp.connector.negotiation.initiate.url", connector.webhookUrl() + "/negotiations/requests");
        p.put("dataspacetck.dsp.connector.transfer.initiate.url", connector.webhookUrl() + "/transfers/requests");
        p.put("dataspacetck.dsp.jsonld.context.edc.path", writeEdcContext(contextFile).toString());
        p.put("dataspacetck.dsp.jsonld.context.edc.uri", EDC_CONTEXT_URI);
        return new TckConfiguration(p);
    }

    Map<String, String> properties() {
        return properties;
    }

    private static Map<String, String> seedIds() {
        try (InputStream in = resource(SEED_IDS_RESOURCE)) {
            var ids = new Properties();
            ids.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            var map = new LinkedHashMap<String, String>();
            ids.stringPropertyNames().forEach(key -> map.put(key, ids.getProperty(key)));
            return map;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SEED_IDS_RESOURCE, e);
        }
    }

    private static Path writeEdcContext(Path file) {
        try (InputStream in = resource(EDC_CONTEXT_RESOURCE)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static InputStream resource(String name) {
        var in = TckConfiguration.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("'%s' is not on the test class path".formatted(name));
        }
        return in;
    }
}
