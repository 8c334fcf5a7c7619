package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.ChainHead;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionLogCorruptedException;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.DecisionQuery;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.spi.result.StoreResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The embedded default decision log: a JSON Lines file, one canonical stored entry per line (format in the
 * module README).
 *
 * <p>Promises: an append returns only after its line has been forced to the device; on open the file is re-read,
 * the head rebuilt from the last line, and a last line without its newline (a crash mid-write, never
 * acknowledged) is reported and cut off — nothing else is ever changed. The file is locked against a second
 * process. Queries scan the whole file, which suits the embedded default (thousands to a few million entries);
 * production uses the PostgreSQL store.
 *
 * <p>Group commit: concurrent appends are ordered (sequence, hash, line added to a buffer in memory) under one lock,
 * which holds no I/O; then each waits until a flush that started after its write has returned (a flush hands every
 * buffered line to the file with one write, then forces it). One flush at a time: the appends that
 * arrive while it runs are covered together by the next one, so under concurrent decisions one flush makes many
 * entries durable, and a single appender still gets one flush per entry. An append is acknowledged only once its
 * flush has succeeded. When a flush fails, every entry written since the last good flush is cut off, each of those
 * appends fails, and the chain continues from the last durable entry. Reads and {@link #head()} see durable entries
 * only, so a checkpoint never signs an entry a crash could take away.
 *
 * <p>Thread-safe: appends are serialised, reads may run alongside them.
 */
public final class FileDecisionLogStore implements DecisionLogStore, LineSource, AutoCloseable {

    private static final int SCAN_PAGE = 4096;

    private final JsonLinesFile file;
    // orders the chain: the next sequence and hash, and the write of the line (to the file's buffer)
    private final Object appendLock = new Object();
    // one flush at a time (flushing); the appends that arrive while it runs wait in waiters and share the next one
    private final Object flushLock = new Object();
    // guarded by flushLock
    private boolean flushing;
    private final List<Waiter> waiters = new ArrayList<>();
    // guarded by appendLock
    private ChainHead writtenHead;
    // changed only while appendLock and flushLock are both held; read without them as below
    private volatile int epoch;
    // for each epoch that ended with a failed flush, the durable line count it ended with (guarded as epoch)
    private final List<Long> epochEnds = new ArrayList<>();
    private volatile ChainHead head;

    private FileDecisionLogStore(JsonLinesFile file, ChainHead head) {
        this.file = file;
        this.head = head;
        this.writtenHead = head;
    }

    /**
     * Opens (or creates) the log at {@code path}. A torn last line is cut off and reported through the monitor.
     *
     * @throws EdcPersistenceException when the file cannot be opened or locked, or its last complete line is not
     *                                 an entry (the head cannot be known, so appending would fork the chain)
     */
    public static FileDecisionLogStore open(Path path, Monitor monitor) {
        var file = JsonLinesFile.openWritable(path);
        try {
            if (file.tornBytes() > 0) {
                monitor.warning("Decision log " + path + ": cut off an incomplete last line of " + file.tornBytes()
                        + " bytes left by an interrupted write; it had not been acknowledged");
            }
            var count = file.lineCount();
            var head = new ChainHead(0, HashChain.GENESIS);
            if (count > 0) {
                var last = parse(count, file.read(count, 1).get(0));
                head = new ChainHead(last.sequence(), last.hash());
            }
            return new FileDecisionLogStore(file, head);
        } catch (DecisionLogCorruptedException e) {
            file.close();
            throw new EdcPersistenceException("cannot continue the decision log " + path + ": " + e.getMessage());
        }
    }

    @Override
    public StoredDecision append(DecisionEntry entry) {
        // the costly part, canonical JSON, runs outside the lock, in the appending threads at once
        var canonical = DecisionJson.canonicalEntry(entry).getBytes(StandardCharsets.UTF_8);
        StoredDecision stored;
        long line;
        int writtenIn;
        synchronized (appendLock) {
            var previous = writtenHead;
            var sequence = previous.sequence() + 1;
            stored = new StoredDecision(sequence, previous.hash(), HashChain.hashCanonical(previous.hash(), sequence, canonical), entry);
            line = file.write(DecisionJson.storedLine(canonical, stored.hash(), stored.previousHash(), sequence));
            writtenHead = new ChainHead(sequence, stored.hash());
            writtenIn = epoch;
        }
        awaitDurable(line, writtenIn);
        return stored;
    }

    /**
     * Returns once the line is durable: a flush that started after it was written has returned (this thread's or
     * another's). Throws when the flush that should have covered it failed, which cut it off.
     *
     * <p>An append that finds a flush running parks until that flush has ended and woken it by name: then its line is
     * durable, or failed, or it is the one waiter chosen to run the next flush, which covers every line written
     * meanwhile. (Queueing on a lock the flush held let each woken waiter in only after the one before, and let an
     * uncovered one start a flush before the covered ones had got through: batches stayed at two entries.)
     */
    private void awaitDurable(long line, int writtenIn) {
        // covered already by a flush another append made: no need to queue for the flush lock. The durable count is read
        // before the epoch: an epoch still the same afterwards means no flush failed, so the count belongs to it
        var durable = file.lineCount();
        if (epoch == writtenIn && line <= durable) {
            return;
        }
        Waiter waiter = null;
        synchronized (flushLock) {
            if (writtenIn != epoch) {
                if (line <= epochEnds.get(writtenIn)) {
                    return;
                }
                throw notRecorded();
            }
            if (line <= file.lineCount()) {
                return;
            }
            if (flushing) {
                waiter = new Waiter(line, writtenIn);
                waiters.add(waiter);
            } else {
                flushing = true;
            }
        }
        if (waiter != null) {
            int state;
            // an interrupt does not end the wait (the entry may be durable already), nor may it make park return at once
            // forever: it is kept aside and restored
            var interrupted = false;
            while ((state = waiter.state) == Waiter.WAITING) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (state == Waiter.DURABLE) {
                return;
            }
            if (state == Waiter.FAILED) {
                throw notRecorded();
            }
        }
        flush();
    }

    private EdcPersistenceException notRecorded() {
        return new EdcPersistenceException("cannot append to " + file.path() + ": flushing the entry to the device failed; it was not recorded");
    }

    /**
     * Forces every line written so far to the device, as the one flush running (the caller set {@link #flushing}); then
     * settles the waiters it covered (or, when it failed, cut off), hands the next flush to one of the others, and wakes
     * them.
     */
    private void flush() {
        long target;
        ChainHead targetHead;
        synchronized (appendLock) {
            target = file.writtenCount();
            targetHead = writtenHead;
        }
        Exception failure = null;
        // an interrupt of the appending thread would close the channel (it is interruptible), and with it the log:
        // kept aside while the file is written and forced, then restored
        var interrupted = Thread.interrupted();
        try {
            file.force();
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        var wake = new ArrayList<Waiter>();
        synchronized (flushLock) {
            if (failure == null) {
                file.markDurable(target);
                head = targetHead;
            } else {
                synchronized (appendLock) {
                    file.truncateToDurable();
                    epochEnds.add((long) file.lineCount());
                    epoch++;
                    writtenHead = head;
                }
            }
            var durable = file.lineCount();
            for (var it = waiters.iterator(); it.hasNext(); ) {
                var waiter = it.next();
                var settled = waiter.epoch != epoch ? (waiter.line <= epochEnds.get(waiter.epoch) ? Waiter.DURABLE : Waiter.FAILED)
                        : waiter.line <= durable ? Waiter.DURABLE : Waiter.WAITING;
                if (settled != Waiter.WAITING) {
                    waiter.state = settled;
                    wake.add(waiter);
                    it.remove();
                }
            }
            if (waiters.isEmpty()) {
                flushing = false;
            } else {
                var next = waiters.remove(0);
                next.state = Waiter.LEAD;
                wake.add(next);
            }
        }
        for (var waiter : wake) {
            LockSupport.unpark(waiter.thread);
        }
        if (failure != null) {
            throw new EdcPersistenceException("cannot append to " + file.path() + ": flushing to the device failed (" + failure.getMessage()
                    + "); the entries written since the last flush were cut off and not recorded", failure);
        }
    }

    /**
     * An append parked until a flush settles its line (guarded by flushLock but for {@code state}, which the parked
     * thread reads).
     */
    private static final class Waiter {
        static final int WAITING = 0;
        static final int DURABLE = 1;
        static final int FAILED = 2;
        static final int LEAD = 3;

        final long line;
        final int epoch;
        final Thread thread = Thread.currentThread();
        volatile int state = WAITING;

        Waiter(long line, int epoch) {
            this.line = line;
            this.epoch = epoch;
        }
    }

    @Override
    public StoreResult<StoredDecision> read(long position) {
        var lines = file.read(position, 1);
        if (lines.isEmpty()) {
            return StoreResult.notFound("no decision at position " + position);
        }
        return StoreResult.success(parse(position, lines.get(0)));
    }

    @Override
    public List<StoredDecision> readRange(long fromPosition, int max) {
        return readRange(file, fromPosition, max);
    }

    @Override
    public List<String> readLines(long fromPosition, int max) {
        return file.read(fromPosition, max);
    }

    @Override
    public Page readPage(long fromPosition, int max) {
        return file.readPage(fromPosition, max);
    }

    @Override
    public ChainHead head() {
        return head;
    }

    @Override
    public List<StoredDecision> query(DecisionQuery query) {
        var result = new ArrayList<StoredDecision>();
        long skipped = 0;
        long position = 1;
        while (true) {
            var page = readRange(position, SCAN_PAGE);
            for (var stored : page) {
                if (query.matches(stored.entry())) {
                    if (skipped < query.offset()) {
                        skipped++;
                    } else {
                        result.add(stored);
                        if (result.size() == query.limit()) {
                            return result;
                        }
                    }
                }
            }
            if (page.size() < SCAN_PAGE) {
                return result;
            }
            position += page.size();
        }
    }

    Path path() {
        return file.path();
    }

    /**
     * For tests: lines written, durable or not.
     */
    long writtenCount() {
        return file.writtenCount();
    }

    /**
     * For tests: how the file is forced to the device.
     */
    void forceWith(JsonLinesFile.Forcing forcing) {
        file.forceWith(forcing);
    }

    @Override
    public void close() {
        file.close();
    }

    static StoredDecision parse(long position, String line) {
        try {
            return DecisionJson.stored(line);
        } catch (IllegalArgumentException e) {
            throw new DecisionLogCorruptedException(position, e.getMessage());
        }
    }

    /**
     * A read-only view of a log file (or an export) for offline verification: never changes the file, takes no
     * lock, ignores an unterminated last line. Not a store: nothing can be appended.
     */
    static ReadOnlyLog openReadOnly(Path path) throws IOException {
        return new ReadOnlyLog(JsonLinesFile.openReadOnly(path));
    }

    static final class ReadOnlyLog implements io.kakehashi.policy.decisionlog.spi.DecisionSource, LineSource, AutoCloseable {
        private final JsonLinesFile file;

        private ReadOnlyLog(JsonLinesFile file) {
            this.file = file;
        }

        @Override
        public List<StoredDecision> readRange(long fromPosition, int max) {
            return FileDecisionLogStore.readRange(file, fromPosition, max);
        }

        long tornBytes() {
            return file.tornBytes();
        }

        @Override
        public List<String> readLines(long fromPosition, int max) {
            return file.read(fromPosition, max);
        }

        @Override
        public Page readPage(long fromPosition, int max) {
            return file.readPage(fromPosition, max);
        }

        @Override
        public void close() {
            file.close();
        }
    }

    private static List<StoredDecision> readRange(JsonLinesFile file, long fromPosition, int max) {
        var lines = file.read(fromPosition, max);
        var result = new ArrayList<StoredDecision>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            result.add(parse(fromPosition + i, lines.get(i)));
        }
        return result;
    }
}
