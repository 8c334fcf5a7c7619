package io.kakehashi.samples.multihost;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy that adds a one-way delay to each direction of every connection, as a long link would: what it reads
 * from one side is written to the other {@link #delayMillis()} later, chunk by chunk, in the order it was read (one
 * queue and one writer per direction, so a chunk never overtakes another and a slow chunk delays only those behind
 * it, not the reading). A round trip through it gains twice the delay. An end of stream is passed on as a half
 * close after the same delay. The delay can be changed while connections are open; it applies to chunks read
 * afterwards. Thread-safe.
 */
final class DelayProxy implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;

    private final List<ServerSocket> listeners = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile long delayNanos;
    private final java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();

    /** A chunk read at one side, due at the other at {@code due} (System.nanoTime); an empty one is the end of stream. */
    private record Chunk(byte[] data, long due) { }

    DelayProxy(long delayMillis) {
        delay(delayMillis);
    }

    /** Sets the one-way delay for chunks read from now on. */
    void delay(long millis) {
        delayNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** How many connections it accepted so far. */
    long accepted() {
        return accepted.get();
    }

    long delayMillis() {
        return TimeUnit.NANOSECONDS.toMillis(delayNanos);
    }

    /** Accepts on {@code listen:port} and connects each accepted connection to {@code target:port}. */
    void forward(InetAddress listen, int port, InetAddress target) throws IOException {
        var server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(listen, port), 128);
        listeners.add(server);
        daemon("delay-proxy-accept-" + port, () -> {
            while (!server.isClosed()) {
                try {
                    var client = server.accept();
                    accepted.incrementAndGet();
                    var upstream = new Socket();
                    sockets.add(client);
                    sockets.add(upstream);
                    try {
                        upstream.connect(new InetSocketAddress(target, port), 10_000);
                    } catch (IOException e) {
                        client.close();
                        continue;
                    }
                    client.setTcpNoDelay(true);
                    upstream.setTcpNoDelay(true);
                    var ended = new AtomicInteger();
                    pipe(client, upstream, port + " out", ended);
                    pipe(upstream, client, port + " back", ended);
                } catch (IOException e) {
                    // closed, or one connection failed: the next accept decides
                }
            }
        });
    }

    /** One direction; {@code ended} counts the directions that ended, and the second one closes the connection. */
    private void pipe(Socket from, Socket to, String name, AtomicInteger ended) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        daemon("delay-proxy-read-" + name, () -> {
            var buffer = new byte[BUFFER];
            try (InputStream in = from.getInputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    queue.put(new Chunk(Arrays.copyOf(buffer, read), System.nanoTime() + delayNanos));
                }
            } catch (IOException ignored) {
                // the connection is gone: end the other direction's stream below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            queue.add(new Chunk(new byte[0], System.nanoTime() + delayNanos));
        });
        daemon("delay-proxy-write-" + name, () -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    var chunk = queue.take();
                    var wait = chunk.due() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (chunk.data().length == 0) {
                        to.shutdownOutput();
                        if (ended.incrementAndGet() == 2) {
                            close(from, to);
                        }
                        return;
                    }
                    out.write(chunk.data());
                    out.flush();
                }
            } catch (IOException e) {
                close(from, to);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static void daemon(String name, Runnable body) {
        var thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void close(Socket one, Socket other) {
        closeQuietly(one);
        closeQuietly(other);
        sockets.remove(one);
        sockets.remove(other);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        for (var listener : new ArrayList<>(listeners)) {
            try {
                listener.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        sockets.forEach(DelayProxy::closeQuietly);
    }
}
