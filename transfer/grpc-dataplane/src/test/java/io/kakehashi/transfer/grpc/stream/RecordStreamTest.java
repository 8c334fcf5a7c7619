package io.kakehashi.transfer.grpc.stream;

import io.grpc.Status;
import io.grpc.StatusException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordStreamTest {

    private final RecordStream stream = new RecordStream(new CountingRecordSource(), 200, Clock.systemUTC());

    @Test
    void take_whenSequenceWasHandedOutRecently_shouldReplayTheSameRecord() throws Exception {
        var first = stream.take(0, Duration.ZERO);
        stream.take(1, Duration.ZERO);

        assertThat(stream.take(0, Duration.ZERO)).isEqualTo(first);
        assertThat(stream.take(2, Duration.ZERO).getPayload().toStringUtf8()).isEqualTo("record-2");
    }

    @Test
    void take_whenSequenceFellOutOfTheReplayWindow_shouldBeOutOfRange() throws Exception {
        for (var i = 0; i < 50; i++) {
            stream.take(i, Duration.ZERO);
        }

        assertThatThrownBy(() -> stream.take(0, Duration.ZERO)).isInstanceOfSatisfying(StatusException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE));
    }

    @Test
    void take_whenSequenceIsAheadOfTheStream_shouldBeOutOfRange() {
        assertThatThrownBy(() -> stream.take(5, Duration.ZERO)).isInstanceOfSatisfying(StatusException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE));
    }
}
