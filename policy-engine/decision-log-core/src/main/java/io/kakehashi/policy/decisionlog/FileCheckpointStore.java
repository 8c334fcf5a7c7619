package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointKey;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checkpoints in a JSON Lines file of their own next to the log file, with the same durability as the log:
 * fsync before acknowledging, a torn last line cut off and reported on open. A line that is not a checkpoint makes
 * {@link #all()} fail naming it, rather than be skipped. The keys the checkpoints are signed with are kept the same
 * way in a second file beside it ({@link #keysPath}: {@code checkpoints.jsonl} → {@code checkpoint-keys.jsonl}).
 *
 * <p>{@link #latest()} and the duplicate check of {@link #save} are answered from the newest checkpoint, read once (at
 * their first use) and kept with every save, not from the whole file: the file gains a line with every checkpoint
 * (every {@code kakehashi.decisionlog.checkpoint.within} while decisions come in), and a receipt waiting for its head
 * asks for the latest one every 200 ms. Only a checkpoint older than the newest (saved out of order) is checked
 * against every line.
 *
 * <p>Thread-safe.
 */
public final class FileCheckpointStore implements CheckpointStore, AutoCloseable {

    private final JsonLinesFile file;
    private final JsonLinesFile keyFile;
    private final Object saveLock = new Object();
    // the checkpoint with the highest sequence, once read (guarded by saveLock); the file is locked against other
    // processes, so only this store's saves change it
    private Optional<Checkpoint> newest;

    private FileCheckpointStore(JsonLinesFile file, JsonLinesFile keyFile) {
        this.file = file;
        this.keyFile = keyFile;
    }

    public static FileCheckpointStore open(Path path, Monitor monitor) {
        var file = JsonLinesFile.openWritable(path);
        JsonLinesFile keyFile;
        try {
            keyFile = JsonLinesFile.openWritable(keysPath(path));
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
        for (var opened : new JsonLinesFile[]{file, keyFile}) {
            if (opened.tornBytes() > 0) {
                monitor.warning("Decision log checkpoints " + opened.path() + ": cut off an incomplete last line of " + opened.tornBytes() + " bytes");
            }
        }
        return new FileCheckpointStore(file, keyFile);
    }

    /**
     * The file of the key history beside a checkpoint file: {@code checkpoints.jsonl} → {@code checkpoint-keys.jsonl},
     * any other {@code name.jsonl} → {@code name-keys.jsonl}.
     */
    public static Path keysPath(Path checkpointsPath) {
        var name = checkpointsPath.getFileName().toString();
        var stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        return checkpointsPath.resolveSibling("checkpoints".equals(stem) ? "checkpoint-keys.jsonl" : stem + "-keys.jsonl");
    }

    @Override
    public void saveKey(CheckpointKey key) {
        synchronized (saveLock) {
            if (keys().stream().anyMatch(existing -> existing.kid().equals(key.kid()))) {
                return;
            }
            keyFile.append(DecisionJson.keyLine(key));
        }
    }

    @Override
    public List<CheckpointKey> keys() {
        return readKeys(keyFile);
    }

    /**
     * The keys of a key-history file (the store's own or an export) without changing it.
     */
    static List<CheckpointKey> readKeyFile(Path path) throws IOException {
        try (var file = JsonLinesFile.openReadOnly(path)) {
            return readKeys(file);
        }
    }

    private static List<CheckpointKey> readKeys(JsonLinesFile file) {
        return parseLines(file, DecisionJson::key, "key line %d of %s is not a checkpoint key: %s");
    }

    /**
     * Every line of {@code file} parsed by {@code parse}, in file order.
     *
     * @throws EdcPersistenceException with {@code failure} (line number, file, why) when a line does not parse
     */
    private static <T> List<T> parseLines(JsonLinesFile file, Function<String, T> parse, String failure) {
        var lines = file.read(1, Integer.MAX_VALUE);
        var result = new ArrayList<T>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            try {
                result.add(parse.apply(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw new EdcPersistenceException(failure.formatted(i + 1, file.path(), e.getMessage()));
            }
        }
        return result;
    }

    @Override
    public void save(Checkpoint checkpoint) {
        synchronized (saveLock) {
            var current = newest();
            var newer = current.isEmpty() || checkpoint.sequence() > current.get().sequence();
            if (!newer && (checkpoint.sequence() == current.get().sequence()
                    || all().stream().anyMatch(existing -> existing.sequence() == checkpoint.sequence()))) {
                return;
            }
            file.append(DecisionJson.checkpointLine(checkpoint));
            if (newer) {
                newest = Optional.of(checkpoint);
            }
        }
    }

    @Override
    public List<Checkpoint> all() {
        return read(file);
    }

    @Override
    public Optional<Checkpoint> latest() {
        synchronized (saveLock) {
            return newest();
        }
    }

    // guarded by saveLock; a file whose lines do not parse fails here as all() does, and is read again at the next call
    private Optional<Checkpoint> newest() {
        if (newest == null) {
            var all = all();
            newest = all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
        }
        return newest;
    }

    /**
     * The checkpoints of a file (the store's own or an export) without changing it.
     *
     * @throws EdcPersistenceException naming the line when a line is not a checkpoint
     */
    static List<Checkpoint> readFile(Path path) throws IOException {
        try (var file = JsonLinesFile.openReadOnly(path)) {
            return read(file);
        }
    }

    private static List<Checkpoint> read(JsonLinesFile file) {
        var result = parseLines(file, DecisionJson::checkpoint, "checkpoint line %d of %s is not a checkpoint: %s");
        // a line appended out of order (by hand) must not change what "latest" means
        result.sort(Comparator.comparingLong(Checkpoint::sequence));
        return result;
    }

    @Override
    public void close() {
        file.close();
        keyFile.close();
    }
}
