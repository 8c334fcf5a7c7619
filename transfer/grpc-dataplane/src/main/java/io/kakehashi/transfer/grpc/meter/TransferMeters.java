package io.kakehashi.transfer.grpc.meter;

import io.kakehashi.transfer.spi.TransferProgressService;
import io.kakehashi.transfer.spi.TransferProgress;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The meters of the transfers this data plane moves, by transfer id, and the quotas each gets. A meter
 * stays readable after its transfer ends until it is replaced by a new start of the same transfer.
 * Thread-safe.
 */
public final class TransferMeters implements TransferProgressService {

    private final ConcurrentHashMap<String, TransferMeter> meters = new ConcurrentHashMap<>();
    private final Function<String, TransferLimits> limitsByTransfer;
    private final Clock clock;
    private final LongAdder totalBytes = new LongAdder();
    private final LongAdder totalMessages = new LongAdder();

    /**
     * @param limitsByTransfer the quotas of a transfer, by transfer id ({@link TransferLimits#NONE} if none)
     */
    public TransferMeters(Function<String, TransferLimits> limitsByTransfer, Clock clock) {
        this.limitsByTransfer = limitsByTransfer;
        this.clock = clock;
    }

    /** A fresh meter for a transfer that starts (or restarts) moving, replacing the earlier one. */
    public TransferMeter start(String transferId) {
        var meter = new TransferMeter(transferId, limitsByTransfer.apply(transferId), clock, totalBytes, totalMessages);
        meters.put(transferId, meter);
        return meter;
    }

    /**
     * The meter of a real-time stream: the one it already has (through suspensions, resumes and re-subscriptions,
     * so its quotas count the whole transfer), or a fresh one for its first call.
     */
    public TransferMeter stream(String transferId) {
        return meters.computeIfAbsent(transferId, id -> new TransferMeter(id, limitsByTransfer.apply(id), clock, totalBytes, totalMessages));
    }

    @Override
    public Optional<TransferProgress> progress(String transferId) {
        return Optional.ofNullable(meters.get(transferId)).map(TransferMeter::snapshot);
    }

    @Override
    public List<TransferProgress> all() {
        return meters.values().stream().map(TransferMeter::snapshot)
                .sorted(Comparator.comparing(TransferProgress::startedAt)).toList();
    }

    /** Payload bytes every transfer of this data plane moved (sent or received) since it started; only grows. */
    public long bytesMoved() {
        return totalBytes.sum();
    }

    /** Messages (chunks, records) every transfer of this data plane moved since it started; only grows. */
    public long messagesMoved() {
        return totalMessages.sum();
    }

    /** The transfers moving now (state RUNNING). */
    public long running() {
        return meters.values().stream().map(TransferMeter::snapshot).filter(p -> "RUNNING".equals(p.state())).count();
    }

    /** The sum of the running transfers' rates, bytes per second, each averaged since its (re)start. */
    public double runningBytesPerSecond() {
        return meters.values().stream().map(TransferMeter::snapshot).filter(p -> "RUNNING".equals(p.state()))
                .mapToDouble(TransferProgress::bytesPerSecond).sum();
    }
}
