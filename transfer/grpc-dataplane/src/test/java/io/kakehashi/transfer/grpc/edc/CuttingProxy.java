package io.kakehashi.transfer.grpc.edc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test TCP proxy on 127.0.0.1 that forwards to a target port and, once, drops its connections after a number of
 * bytes went from the target to the client: a network cut in the middle of a transfer.
 */
final class CuttingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final AtomicLong cutAfter = new AtomicLong(Long.MAX_VALUE);
    private final AtomicBoolean cut = new AtomicBoolean();

    CuttingProxy(int target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        var acceptor = new Thread(this::accept, "cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Drops the connection that carries more than {@code bytes} towards the client (once). */
    void cutOnceAfter(long bytes) {
        cutAfter.set(bytes);
    }

    boolean hasCut() {
        return cut.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                var client = server.accept();
                var upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                var forwarded = new AtomicLong();
                pump(client.getInputStream(), upstream.getOutputStream(), client, upstream, null);
                pump(upstream.getInputStream(), client.getOutputStream(), client, upstream, forwarded);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(InputStream in, OutputStream out, Socket a, Socket b, AtomicLong counted) {
        var thread = new Thread(() -> {
            var buffer = new byte[64 * 1024];
            try {
                int read;
                while ((read = in.read(buffer)) > 0) {
                    out.write(buffer, 0, read);
                    if (counted != null && counted.addAndGet(read) > cutAfter.get() && cut.compareAndSet(false, true)) {
                        break;
                    }
                }
            } catch (IOException ignored) {
                // the other side closed
            }
            closeQuietly(a);
            closeQuietly(b);
        }, "cutting-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
