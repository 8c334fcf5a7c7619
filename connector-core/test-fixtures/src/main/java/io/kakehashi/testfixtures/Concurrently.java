package io.kakehashi.testfixtures;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Calls that a test makes at one moment, each on a thread of its own, all released together: two replicas deciding
 * at once, say. Stateless and thread-safe.
 */
public final class Concurrently {

    private Concurrently() {
    }

    /**
     * Starts every call, releases them together and answers their results in the calls' order.
     *
     * @throws ExecutionException when a call throws (its exception is the cause)
     */
    public static <T> List<T> call(List<Callable<T>> calls) throws InterruptedException, ExecutionException {
        var pool = Executors.newFixedThreadPool(calls.size());
        try {
            var start = new CountDownLatch(1);
            var futures = new ArrayList<Future<T>>();
            for (var call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            var results = new ArrayList<T>();
            for (var future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
