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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
 * <p>Thread-safe: appends are serialised, reads may run alongside them.
 */
public final class FileDecisionLogStore implements DecisionLogStore, AutoCloseable {

    private static final int SCAN_PAGE = 4096;

    private final JsonLinesFile file;
    private final Object appendLock = new Object();
    private volatile ChainHead head;

    private FileDecisionLogStore(JsonLinesFile file, ChainHead head) {
        this.file = file;
        this.head = head;
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
        synchronized (appendLock) {
            var current = head;
            var sequence = current.sequence() + 1;
            var stored = new StoredDecision(sequence, current.hash(), HashChain.hash(current.hash(), sequence, entry), entry);
            file.append(DecisionJson.storedLine(stored));
            head = new ChainHead(sequence, stored.hash());
            return stored;
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

    static final class ReadOnlyLog implements io.kakehashi.policy.decisionlog.spi.DecisionSource, AutoCloseable {
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
