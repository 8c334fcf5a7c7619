package io.kakehashi.transfer.grpc;

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
 * Loopback ports for test servers, taken below the kernel's ephemeral range (an ephemeral port can become the
 * local port of some outgoing connection between the check and the server's bind) and never given twice.
 */
public final class TestPorts {

    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private TestPorts() {
    }

    public static int free() {
        var ceiling = ephemeralStart();
        for (var attempt = 0; attempt < 100 && ceiling > 20_000; attempt++) {
            var port = ThreadLocalRandom.current().nextInt(20_000, ceiling);
            if (GIVEN.add(port)) {
                try (var ignored = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int ephemeralStart() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
