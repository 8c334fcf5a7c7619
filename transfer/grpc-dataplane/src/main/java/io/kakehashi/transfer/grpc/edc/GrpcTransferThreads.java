package io.kakehashi.transfer.grpc.edc;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads ({@code kakehashi-grpc-N}) the gRPC data plane runs its transfers and record streams on, one
 * pool for the server, PULL, PUSH and consumer extensions; {@link GrpcTransferServerExtension} shuts it down last.
 * Thread-safe.
 */
public final class GrpcTransferThreads {

    private final ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());

    public ExecutorService executor() {
        return executor;
    }

    void shutdownNow() {
        executor.shutdownNow();
    }

    private static ThreadFactory daemonThreads() {
        var counter = new AtomicInteger();
        return runnable -> {
            var thread = new Thread(runnable, "kakehashi-grpc-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
