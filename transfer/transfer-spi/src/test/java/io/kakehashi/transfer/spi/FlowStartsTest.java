package io.kakehashi.transfer.spi;

import org.eclipse.edc.connector.dataplane.spi.pipeline.StreamResult;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class FlowStartsTest {

    private final FlowStarts starts = new FlowStarts(2);
    private final AtomicInteger runs = new AtomicInteger();
    private final CompletableFuture<StreamResult<Object>> run = new CompletableFuture<>();

    @Test
    void start_whenRepeatedWhileTheFlowRuns_shouldJoinTheRun() {
        var first = starts.start("p1", this::run);
        var repeated = starts.start("p1", this::run);

        assertThat(runs).hasValue(1);
        assertThat(repeated).isNotDone();
        run.complete(StreamResult.success());
        assertThat(first.join().succeeded()).isTrue();
        assertThat(repeated.join().succeeded()).isTrue();
    }

    @Test
    void start_whenRepeatedAfterTheFlowEnded_shouldGiveTheSameEndWithoutRunning() {
        starts.start("p1", this::run);
        run.complete(StreamResult.error("the sink refused the content"));

        var repeated = starts.start("p1", this::run).join();

        assertThat(runs).hasValue(1);
        assertThat(repeated.getFailureDetail()).endsWith("the sink refused the content");
        assertThat(starts.isRunning("p1")).isFalse();
        // EDC terminates the failed flow: it ended here, and is then forgotten
        assertThat(starts.stopped("p1")).isTrue();
        assertThat(starts.stopped("p1")).isFalse();
        assertThat(starts.stopped("never-started")).isFalse();
    }

    @Test
    void start_afterTheControlPlaneStoppedTheFlow_shouldRunItAgain() {
        var suspended = starts.start("p1", this::run);
        assertThat(starts.stopped("p1")).isTrue();

        var resumed = starts.start("p1", () -> CompletableFuture.completedFuture(StreamResult.success()));
        // the stopped run ends late (a push noticing its cancellation): it neither ends the resumed run nor is remembered
        run.complete(StreamResult.error("cancelled"));

        assertThat(resumed.join().succeeded()).isTrue();
        assertThat(suspended.join().failed()).isTrue();
        assertThat(starts.start("p1", this::run).join().succeeded()).isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void start_whenMoreFlowsEndedThanItRemembers_shouldRunTheOldestAgain() {
        for (var id : new String[]{"p1", "p2", "p3"}) {
            starts.start(id, () -> CompletableFuture.completedFuture(StreamResult.success()));
        }

        starts.start("p1", this::run);
        starts.start("p3", this::run);

        assertThat(runs).hasValue(1);
    }

    @Test
    void start_whenTheRunFailsExceptionally_shouldEndTheFlowFailed() {
        var end = starts.start("p1", this::run);
        run.completeExceptionally(new IllegalStateException("the channel closed"));

        assertThat(end.join().getFailureDetail()).contains("the channel closed");
    }

    private CompletableFuture<StreamResult<Object>> run() {
        runs.incrementAndGet();
        return run;
    }
}
