package io.kakehashi.transfer.grpc.stream;

import io.kakehashi.transfer.grpc.v1.RecordBatch;
import org.junit.jupiter.api.Test;

import static io.kakehashi.transfer.grpc.stream.RecordTestFixtures.batch;
import static org.assertj.core.api.Assertions.assertThat;

class RecordBatchOrderTest {

    @Test
    void check_whenBatchContinuesTheStream_shouldSucceed() {
        assertThat(RecordBatchOrder.check(batch(null, 7, 8, 9), 7).succeeded()).isTrue();
        assertThat(RecordBatchOrder.check(batch(null, 0), 0).succeeded()).isTrue();
    }

    @Test
    void check_whenGapInsideTheBatch_shouldFailNamingTheRecord() {
        var result = RecordBatchOrder.check(batch(null, 7, 8, 10), 7);

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailureDetail()).contains("record 10 arrived (3 of a batch of 3), 9 expected");
    }

    @Test
    void check_whenDuplicateInsideTheBatch_shouldFail() {
        assertThat(RecordBatchOrder.check(batch(null, 7, 8, 8, 9), 7).failed()).isTrue();
    }

    @Test
    void check_whenBatchRepeatsOrSkipsAcrossBatches_shouldFail() {
        assertThat(RecordBatchOrder.check(batch(null, 6, 7, 8), 7).failed()).as("repeats 6").isTrue();
        assertThat(RecordBatchOrder.check(batch(null, 8, 9), 7).failed()).as("skips 7").isTrue();
    }

    @Test
    void check_whenBatchIsEmpty_shouldFail() {
        assertThat(RecordBatchOrder.check(RecordBatch.getDefaultInstance(), 0).failed()).isTrue();
    }
}
