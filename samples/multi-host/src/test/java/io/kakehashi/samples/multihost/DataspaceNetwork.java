package io.kakehashi.samples.multihost;

import io.kakehashi.identity.issuer.IssuerTool;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.DataspaceAuthority;
import io.kakehashi.testfixtures.Ports;
import io.kakehashi.testfixtures.TestDataspaceCa;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The network hosts of a test dataspace and what makes them trust each other: one {@link NetworkHosts} host per
 * party, a hosts file every JVM resolves the names with, and a test dataspace CA that issues each host's TLS
 * certificate. {@link #connector} puts a connector's settings on a host (HTTPS on every context, the CA trusted, no
 * loopback shortcut); {@link #authority} serves a dataspace authority with {@code issuer-tool serve} over HTTPS on
 * its host. {@link #close} stops what it started and removes every namespace and link, also after a failure.
 * Not thread-safe.
 */
final class DataspaceNetwork implements AutoCloseable {

    static final String PASSWORD_ENV = "KAKEHASHI_TLS_KEYSTORE_PASSWORD";

    private final Path workDir;
    private final Path hostsFile;
    private final TestDataspaceCa ca;
    private final NetworkHosts network = new NetworkHosts();
    private final Map<String, NetworkHosts.Host> hosts = new LinkedHashMap<>();
    private final List<Process> processes = new ArrayList<>();
    private final Path caPem;
    /** Per host, the other hosts it reaches at another address than their own (through a proxy). */
    private final Map<String, Map<String, String>> detours = new LinkedHashMap<>();

    /** Makes one host per name, in order, and writes the hosts file and the CA's certificate. */
    DataspaceNetwork(Path workDir, Path hostsFile, String caName, List<String> hostNames) throws IOException {
        this.workDir = workDir;
        this.hostsFile = hostsFile;
        this.ca = TestDataspaceCa.create(caName);
        try {
            for (var name : hostNames) {
                hosts.put(name, network.add(name));
            }
            network.writeHostsFile(hostsFile);
            caPem = ca.writePem(workDir.resolve("dataspace-ca.pem"));
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
    }

    NetworkHosts.Host host(String name) {
        return hosts.get(name);
    }

    NetworkHosts hosts() {
        return network;
    }

    TestDataspaceCa ca() {
        return ca;
    }

    /** The bridge's address: the test's own on the hosts' network, where a backend the hosts reach serves. */
    String gatewayAddress() {
        return network.gatewayAddress();
    }

    /**
     * Makes {@code fromHost} reach {@code toHost} at {@code address}, such as a proxy's on the bridge: the connector
     * put on {@code fromHost} afterwards resolves names through a hosts file of its own that says so.
     */
    void detour(String fromHost, String toHost, String address) {
        detours.computeIfAbsent(fromHost, host -> new LinkedHashMap<>()).put(toHost, address);
    }

    /**
     * Puts a connector on {@code hostName}: its DID and addresses carry the name, it runs in the host's namespace,
     * resolves names through the test's hosts file, serves HTTPS on every context with its own certificate (password
     * in the environment), trusts the dataspace CA, and its client refuses any {@code http://} URL.
     */
    ConnectorSettings connector(String hostName, ConnectorSettings settings) {
        var host = hosts.get(hostName);
        var password = "tls-" + UUID.randomUUID();
        // localhost as well: the connector's own components reach its control API on loopback, over TLS too
        Path keystore;
        try {
            keystore = ca.writeServerKeystore(settings.directory().resolve("tls.p12"), password.toCharArray(), host.name(), "localhost");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the TLS keystore of " + settings.name(), e);
        }
        var ownHostsFile = hostsFile;
        if (detours.containsKey(hostName)) {
            ownHostsFile = workDir.resolve("hosts-" + hostName);
            try {
                network.writeHostsFile(ownHostsFile, detours.get(hostName));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        settings.onHost(host.name())
                .launchIn(host.run())
                .jvmOption("-Djdk.net.hosts.file=" + ownHostsFile)
                .environment(PASSWORD_ENV, password)
                .clientTls(ca.clientContext())
                .with("kakehashi.tls.keystore", keystore.toString())
                .with("kakehashi.tls.trusted-cas", caPem.toString())
                // EDC's client refuses any http:// URL: every call a connector makes to another party or itself is TLS
                .with("edc.http.client.https.enforce", "true");
        settings.with("edc.control.endpoint", "https://localhost:%d/control".formatted(URI.create(settings.controlUrl()).getPort()));
        return settings;
    }

    /**
     * A dataspace authority on {@code hostName}, its DID {@code did:web:<host>%3A<port>:<name>}: made with the issuer
     * tool in {@code directory}, served by {@code issuer-tool serve --keystore} in the host's namespace, returned once
     * the test reads its DID document over HTTPS across the bridge.
     */
    DataspaceAuthority authority(String hostName, Path directory, String name, PrintStream log) {
        var host = hosts.get(hostName);
        var port = Ports.freePort();
        var did = "did:web:%s%%3A%d:%s".formatted(host.name(), port, name);
        return DataspaceAuthority.start(directory, did, log, dir -> serve(host, dir, port, name));
    }

    private AutoCloseable serve(NetworkHosts.Host host, Path directory, int port, String name) {
        try {
            var password = "tls-" + UUID.randomUUID();
            var keystore = ca.writeServerKeystore(workDir.resolve(name + "-tls.p12"), password.toCharArray(), host.name());
            var command = new ArrayList<>(host.run());
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                    "-Djdk.net.hosts.file=" + hostsFile, "-cp", System.getProperty("java.class.path"), IssuerTool.class.getName(),
                    "serve", "--dir", directory.toString(), "--port", String.valueOf(port), "--host", host.address(), "--keystore", keystore.toString()));
            var log = workDir.resolve(name + ".log");
            var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put(PASSWORD_ENV, password);
            var process = builder.start();
            processes.add(process);
            awaitDidDocument(URI.create("https://%s:%d/%s/did.json".formatted(host.name(), port, name)), process, log);
            return () -> {
                process.destroy();
                process.waitFor();
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the authority's TLS keystore", e);
        }
    }

    /** Waits until the test reaches the authority's DID document across the bridge, over HTTPS. */
    private void awaitDidDocument(URI url, Process process, Path log) throws IOException {
        var client = HttpClient.newBuilder().sslContext(ca.clientContext()).connectTimeout(Duration.ofSeconds(2)).build();
        var deadline = Instant.now().plus(Duration.ofSeconds(60));
        Exception last = null;
        try {
            while (Instant.now().isBefore(deadline) && process.isAlive()) {
                try {
                    var response = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    last = e;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("the authority's DID document is not served at %s: %s; log: %s".formatted(url, last,
                Files.exists(log) ? Files.readString(log) : "(none)"));
    }

    @Override
    public void close() {
        for (var process : processes) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        network.close();
    }
}
