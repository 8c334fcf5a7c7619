package io.kakehashi.transfer.grpc.stream;

import io.kakehashi.transfer.spi.RecordSource;

import org.eclipse.edc.spi.result.Result;

/**
 * A record source that numbers its records itself from something durable (a file), so that its position survives the
 * stream that reads it: a stream made after a restart starts at the source's own sequence, and a consumer that asks
 * for a record outside the stream's replay window is served by moving the source there instead of being refused. Same
 * threading as {@link RecordSource}.
 */
public interface SeekableRecordSource extends RecordSource {

    /** The sequence of the payload the next {@link #next} returns. */
    long nextSequence();

    /**
     * Moves the source so that the next payload is the record with {@code sequence}; on failure the position is
     * unchanged.
     *
     * @return a failure naming why when the record is no longer (or not yet) available
     */
    Result<Void> seek(long sequence);
}
