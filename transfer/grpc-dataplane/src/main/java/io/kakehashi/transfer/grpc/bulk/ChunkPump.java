package io.kakehashi.transfer.grpc.bulk;

import io.kakehashi.transfer.spi.BulkSource;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Status;
import io.grpc.stub.CallStreamObserver;
import io.kakehashi.transfer.grpc.auth.TransferAuthorization;
import io.kakehashi.transfer.grpc.meter.TransferMeter;
import io.kakehashi.transfer.grpc.v1.BulkMessage;
import io.kakehashi.transfer.grpc.v1.Chunk;
import io.kakehashi.transfer.grpc.v1.Header;
import io.kakehashi.transfer.grpc.v1.Trailer;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Sends a bulk source as Header, Chunks and Trailer on one call, writing only while the call is ready and
 * resuming from the call's on-ready handler, so memory stays at one chunk whatever the size. The trailer
 * carries the SHA-256 of the whole content: on a resumed call the prefix before the offset is hashed from
 * the source first, from the nearest hash state an earlier call kept ({@link PrefixDigests}). Every chunk is admitted by the transfer's meter (quotas) and the token is re-checked
 * at an interval. Usable from the call's serialized callbacks plus other threads calling {@link #stop}; a lock
 * guards the call.
 */
public final class ChunkPump implements Runnable {

    private final String transferId;
    private final BulkSource source;
    private final long startOffset;
    private final int chunkSize;
    private final CallStreamObserver<BulkMessage> out;
    private final TransferMeter meter;
    private final TransferAuthorization.Recheck recheck;
    private final Duration recheckInterval;
    private final Clock clock;
    private final Consumer<Status> onEnd;
    private final PrefixDigests digests;
    private long totalSize = -1;

    private InputStream in;
    private MessageDigest digest;
    private long offset;
    private long sequence;
    private Instant nextRecheck;
    private boolean started;
    private boolean done;
    private volatile Status stopRequest;
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * @param onEnd told once how the call ended: OK after the trailer, else the status it failed with
     */
    public ChunkPump(String transferId, BulkSource source, long startOffset, int chunkSize,
                     CallStreamObserver<BulkMessage> out, TransferMeter meter, TransferAuthorization.Recheck recheck,
                     Duration recheckInterval, Clock clock, Consumer<Status> onEnd) {
        this(transferId, source, startOffset, chunkSize, out, meter, recheck, recheckInterval, clock, onEnd, new PrefixDigests());
    }

    /**
     * @param digests the hash states of the source's prefixes that earlier calls of the same transfer kept (a resumed
     *                call hashes from the nearest one) and that this call adds to
     */
    public ChunkPump(String transferId, BulkSource source, long startOffset, int chunkSize,
                     CallStreamObserver<BulkMessage> out, TransferMeter meter, TransferAuthorization.Recheck recheck,
                     Duration recheckInterval, Clock clock, Consumer<Status> onEnd, PrefixDigests digests) {
        this.digests = digests;
        this.transferId = transferId;
        this.source = source;
        this.startOffset = startOffset;
        this.chunkSize = chunkSize;
        this.out = out;
        this.meter = meter;
        this.recheck = recheck;
        this.recheckInterval = recheckInterval;
        this.clock = clock;
        this.onEnd = onEnd;
    }

    @Override
    public void run() {
        lock.lock();
        try {
            pump();
        } finally {
            lock.unlock();
        }
        // a stop that came while the loop was leaving is acted on here, not at the next on-ready event
        if (stopRequest != null) {
            stop(stopRequest);
        }
    }

    private void pump() {
        if (done) {
            return;
        }
        try {
            if (!started) {
                start();
            }
            while (!done && out.isReady()) {
                if (stopRequest != null) {
                    fail(stopRequest);
                    return;
                }
                if (!clock.instant().isBefore(nextRecheck)) {
                    var denied = recheck.check();
                    if (denied != null) {
                        fail(denied);
                        return;
                    }
                    nextRecheck = clock.instant().plus(recheckInterval);
                }
                // a fresh array per chunk, handed to protobuf without a copy: nothing writes to it after the wrap
                var buffer = new byte[chunkSize];
                var read = in.readNBytes(buffer, 0, chunkSize);
                if (read == 0) {
                    finish();
                    return;
                }
                var admitted = meter.admit(read);
                if (admitted.failed()) {
                    fail(Status.RESOURCE_EXHAUSTED.withDescription(admitted.getFailureDetail()));
                    return;
                }
                digest.update(buffer, 0, read);
                out.onNext(BulkMessage.newBuilder().setChunk(Chunk.newBuilder()
                        .setSequence(sequence++).setOffset(offset).setData(UnsafeByteOperations.unsafeWrap(buffer, 0, read))).build());
                offset += read;
                digests.offer(offset, totalSize, digest);
            }
        } catch (IOException e) {
            fail(sourceFailure(e));
        } catch (RuntimeException e) {
            // the call went away under us (cancelled by the peer): nothing more to send
            close(Status.CANCELLED.withDescription("call ended: " + e.getMessage()));
        }
    }

    /**
     * Ends the call with {@code status} (suspend, terminate, shutdown) unless it already ended. Never waits
     * for a running send loop: that loop sees the request before its next message.
     */
    public void stop(Status status) {
        stopRequest = status;
        if (lock.tryLock()) {
            try {
                if (!done) {
                    fail(status);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** The peer went away: release the source without writing to the call. */
    public void cancelled() {
        lock.lock();
        try {
            if (!done) {
                close(Status.CANCELLED.withDescription("cancelled by the peer"));
            }
        } finally {
            lock.unlock();
        }
    }

    private void start() throws IOException {
        started = true;
        var size = source.size();
        if (size >= 0 && startOffset > size) {
            fail(Status.OUT_OF_RANGE.withDescription("offset %d is past the end (%d)".formatted(startOffset, size)));
            return;
        }
        totalSize = size;
        // the trailer's hash covers the whole content, so a resumed call hashes the prefix it does not send: from the
        // nearest hash state an earlier call of this transfer kept, else from 0
        var nearest = digests.nearest(startOffset);
        digest = nearest.getValue();
        if (startOffset > nearest.getKey()) {
            try (var prefix = source.openAt(nearest.getKey())) {
                var buffer = new byte[64 * 1024];
                long remaining = startOffset - nearest.getKey();
                while (remaining > 0) {
                    var read = prefix.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                    if (read < 0) {
                        fail(Status.OUT_OF_RANGE.withDescription("offset %d is past the end".formatted(startOffset)));
                        return;
                    }
                    digest.update(buffer, 0, read);
                    remaining -= read;
                }
            }
        }
        in = source.openAt(startOffset);
        offset = startOffset;
        meter.totalSize(size);
        meter.resumedAt(startOffset, 0);
        nextRecheck = clock.instant().plus(recheckInterval);
        out.onNext(BulkMessage.newBuilder().setHeader(Header.newBuilder().setTransferId(transferId)
                .setStartOffset(startOffset).setTotalSize(size).setContentType(source.contentType())).build());
    }

    private void finish() {
        out.onNext(BulkMessage.newBuilder().setTrailer(Trailer.newBuilder().setTotalSize(offset)
                .setSha256(ByteString.copyFrom(digest.digest()))).build());
        out.onCompleted();
        close(Status.OK);
    }

    private void fail(Status status) {
        if (done) {
            return;
        }
        try {
            out.onError(status.asRuntimeException());
        } catch (RuntimeException ignored) {
            // already closed by the transport
        }
        close(status);
    }

    private void close(Status status) {
        done = true;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing to do about a failed close of a read-only stream
            }
        }
        onEnd.accept(status);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * A source that timed out, refused or dropped the connection, or answered "not now" (408, 429, 5xx) may be back
     * soon: UNAVAILABLE, which the receiver retries from its durable offset. Anything else ends the transfer.
     */
    static Status sourceFailure(IOException e) {
        var mayPass = e instanceof SourceUnavailableException || e instanceof SocketTimeoutException
                || e instanceof SocketException || e instanceof UnknownHostException;
        return mayPass
                ? Status.UNAVAILABLE.withDescription("the source cannot be read now: " + e.getMessage())
                : Status.INTERNAL.withDescription("reading the source failed: " + e.getMessage());
    }
}
