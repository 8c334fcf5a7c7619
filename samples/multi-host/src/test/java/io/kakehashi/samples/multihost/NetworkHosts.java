package io.kakehashi.samples.multihost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network hosts on this machine: one Linux network namespace per host, each with its own address on one /24 and a
 * veth pair into a bridge in the test's own namespace, which holds the first address (the test reaches every host
 * through it). Names resolve through a hosts file the test owns. Needs root and the {@code ip} command; {@link #create}
 * says why when they are missing. {@link #close} removes every namespace and link made, also after a failure.
 * Not thread-safe.
 */
final class NetworkHosts implements AutoCloseable {

    private final String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    private final String subnet = "10.%d.%d".formatted(ThreadLocalRandom.current().nextInt(100, 250), ThreadLocalRandom.current().nextInt(1, 250));
    private final String bridge = "kkb" + tag;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();
    private boolean bridgeMade;

    /** One host: its name, namespace, address and the bridge-side name of its link. */
    record Host(String name, String namespace, String address, String link) {
        /** The command prefix that runs a program on this host. */
        List<String> run() {
            return List.of("ip", "netns", "exec", namespace);
        }
    }

    /**
     * Why namespaces cannot be made here, or null when they can: the test is skipped with this reason.
     */
    static String unavailableBecause() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "network namespaces need root (running as '%s')".formatted(System.getProperty("user.name"));
        }
        try {
            var probe = "kkprobe" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
            var added = exec(List.of("ip", "netns", "add", probe));
            if (added != null) {
                return "'ip netns add' does not work here: " + added;
            }
            exec(List.of("ip", "netns", "del", probe));
            return null;
        } catch (IOException e) {
            return "the 'ip' command is not available: " + e.getMessage();
        }
    }

    /** The bridge's address, the test's own on the hosts' network. */
    String gatewayAddress() {
        return subnet + ".1";
    }

    /** Makes the bridge once, then one namespace named after the host, with the next address. */
    Host add(String hostName) throws IOException {
        if (!bridgeMade) {
            run("ip", "link", "add", bridge, "type", "bridge");
            bridgeMade = true;
            run("ip", "addr", "add", gatewayAddress() + "/24", "dev", bridge);
            run("ip", "link", "set", bridge, "up");
        }
        var index = hosts.size() + 2;
        var namespace = "kk%s-%d".formatted(tag, index);
        var link = "kkv%s%d".formatted(tag, index);
        run("ip", "netns", "add", namespace);
        namespaces.add(namespace);
        run("ip", "link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", namespace);
        run("ip", "link", "set", link, "master", bridge, "up");
        var address = subnet + "." + index;
        run("ip", "-n", namespace, "addr", "add", address + "/24", "dev", "eth0");
        run("ip", "-n", namespace, "link", "set", "eth0", "up");
        run("ip", "-n", namespace, "link", "set", "lo", "up");
        var host = new Host(hostName, namespace, address, link);
        hosts.put(hostName, host);
        return host;
    }

    /** Cuts the host's link to the others (its cable pulled) or restores it. */
    void link(Host host, boolean up) throws IOException {
        run("ip", "link", "set", host.link(), up ? "up" : "down");
    }

    /** Writes the hosts file every JVM of the test resolves names with: loopback plus each host's address. */
    void writeHostsFile(Path file) throws IOException {
        writeHostsFile(file, Map.of());
    }

    /** As {@link #writeHostsFile(Path)}, with the hosts named in {@code addresses} at the addresses given there. */
    void writeHostsFile(Path file, Map<String, String> addresses) throws IOException {
        var lines = new StringBuilder("127.0.0.1 localhost\n::1 localhost\n");
        lines.append(gatewayAddress()).append(" gateway.test\n");
        hosts.values().forEach(host -> lines.append(addresses.getOrDefault(host.name(), host.address())).append(' ').append(host.name()).append('\n'));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, lines, StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        for (var namespace : namespaces) {
            quietly("ip", "netns", "del", namespace);
        }
        for (var host : hosts.values()) {
            quietly("ip", "link", "del", host.link());
        }
        if (bridgeMade) {
            quietly("ip", "link", "del", bridge);
        }
    }

    private static void run(String... command) throws IOException {
        var failure = exec(List.of(command));
        if (failure != null) {
            throw new IOException(String.join(" ", command) + ": " + failure);
        }
    }

    private static void quietly(String... command) {
        try {
            exec(List.of(command));
        } catch (IOException ignored) {
            // removal is best effort: a namespace already gone is fine
        }
    }

    /** Runs a command; null when it succeeded, its output otherwise. */
    private static String exec(List<String> command) throws IOException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "timed out";
            }
            return process.exitValue() == 0 ? null : "exit %d: %s".formatted(process.exitValue(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
