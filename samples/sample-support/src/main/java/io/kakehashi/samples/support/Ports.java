package io.kakehashi.samples.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free TCP ports on the loopback interface.
 */
public final class Ports {

    private Ports() {
    }

    /**
     * A daemon thread for the loopback servers of the samples, so that they never keep a JVM alive.
     */
    static Thread daemonThread(Runnable runnable) {
        var thread = new Thread(runnable, "sample-http");
        thread.setDaemon(true);
        return thread;
    }

    /**
     * A port that was free on 127.0.0.1 a moment ago.
     */
    public static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }
}
