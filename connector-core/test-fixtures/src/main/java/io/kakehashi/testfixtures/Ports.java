package io.kakehashi.testfixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on the loopback interface, for servers that another process will bind a moment later.
 * <p>
 * The ports come from below the kernel's ephemeral range: a port from that range (what binding to port 0 gives) can
 * be taken, between the check and the server's own bind, as the local port of any outgoing connection on the
 * machine, and the server then fails with "address already in use". A port is never handed out twice by one JVM.
 * Thread-safe.
 */
public final class Ports {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LOWEST = 20_000;
    private static final int DEFAULT_EPHEMERAL_START = 32_768;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /**
     * A port that was free on 127.0.0.1 a moment ago, outside the ephemeral range.
     */
    public static int freePort() {
        var below = ephemeralRangeStart();
        var random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200 && below > LOWEST; attempt++) {
            var port = random.nextInt(LOWEST, below);
            if (!HANDED_OUT.contains(port) && isFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        // no room below the ephemeral range on this machine: fall back to what the kernel picks
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HANDED_OUT.add(socket.getLocalPort());
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    private static boolean isFree(int port) {
        try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int ephemeralRangeStart() {
        // read as a stream: procfs reports a size of 0, which whole-file reads trust
        try (var in = Files.newInputStream(EPHEMERAL_RANGE)) {
            return Integer.parseInt(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_START;
        }
    }
}
