package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.WitnessRecord;
import io.kakehashi.policy.decisionlog.spi.WitnessStore;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Witness evidence in a JSON Lines file beside the log's ({@code witness.jsonl}), with the log's durability: fsync
 * before {@link #save} returns, a torn last line cut off and reported on open. A line that is not a record makes
 * {@link #all()} fail naming it. Thread-safe.
 */
public final class FileWitnessStore implements WitnessStore, AutoCloseable {

    private final JsonLinesFile file;

    private FileWitnessStore(JsonLinesFile file) {
        this.file = file;
    }

    public static FileWitnessStore open(Path path, Monitor monitor) {
        var file = JsonLinesFile.openWritable(path);
        if (file.tornBytes() > 0) {
            monitor.warning("Decision log witness records " + path + ": cut off an incomplete last line of " + file.tornBytes() + " bytes");
        }
        return new FileWitnessStore(file);
    }

    @Override
    public synchronized void save(WitnessRecord record) {
        if (all().stream().anyMatch(kept -> same(kept, record))) {
            return;
        }
        file.append(WitnessJson.line(record));
    }

    @Override
    public List<WitnessRecord> all() {
        return read(file);
    }

    /**
     * The records of a file (the store's own or an export) without changing it.
     */
    public static List<WitnessRecord> readFile(Path path) throws IOException {
        try (var file = JsonLinesFile.openReadOnly(path)) {
            return read(file);
        }
    }

    private static List<WitnessRecord> read(JsonLinesFile file) {
        var lines = file.read(1, Integer.MAX_VALUE);
        var result = new ArrayList<WitnessRecord>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            try {
                result.add(WitnessJson.record(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw new EdcPersistenceException("witness line %d of %s is not a witness record: %s".formatted(i + 1, file.path(), e.getMessage()));
            }
        }
        return result;
    }

    /**
     * Whether two records are the same evidence: same kind, peer, tree size and root.
     */
    public static boolean same(WitnessRecord a, WitnessRecord b) {
        return a.kind() == b.kind() && a.peer().equals(b.peer()) && a.treeSize() == b.treeSize() && a.rootHash().equals(b.rootHash())
                && Objects.equals(a.kind() == WitnessRecord.Kind.CONFLICT ? a.evidenceJws() : null, b.kind() == WitnessRecord.Kind.CONFLICT ? b.evidenceJws() : null);
    }

    @Override
    public void close() {
        file.close();
    }
}
