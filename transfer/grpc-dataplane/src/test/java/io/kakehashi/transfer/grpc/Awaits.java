package io.kakehashi.transfer.grpc;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/** Test waits. */
public final class Awaits {

    private Awaits() {
    }

    /** Waits until a count stops changing (half a second without change, at most five seconds) and answers it. */
    public static long stable(Callable<Long> count) {
        var last = new AtomicLong(-1);
        var since = new AtomicLong(System.nanoTime());
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            var now = count.call();
            if (last.getAndSet(now) != now) {
                since.set(System.nanoTime());
                return false;
            }
            return System.nanoTime() - since.get() > Duration.ofMillis(500).toNanos();
        });
        return last.get();
    }
}
