package io.kakehashi.core.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.core.spi.json.JsonCodec;
import io.kakehashi.core.spi.outbox.StatementOutbox;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The outbox in an append-only JSON Lines file ({@code outbox.jsonl}), one line per change — a statement kept
 * ({@code put}, also for {@link #hold}), a draft replaced by its signed statement ({@code complete}), a failed attempt
 * ({@code retry}), a statement done ({@code done}) — each fsync'd before the call returns; a change is one line, so
 * it is in the file whole or, cut off on open, not at all. On open, an incomplete last line (a write the process did
 * not finish) is cut off and reported, the lines are replayed, and the file is written again, atomically, with only
 * the statements not done, so it holds at most what one run of the connector added. The file is locked while open:
 * one process per file, whose claims are kept in memory. Thread-safe.
 */
public final class FileStatementOutbox implements StatementOutbox, AutoCloseable {

    private final Path path;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, Claim> claims = new LinkedHashMap<>();
    private FileChannel channel;
    private FileChannel lockChannel;
    private FileLock lock;

    private record Claim(String holder, Instant until) {
    }

    private FileStatementOutbox(Path path) {
        this.path = path;
    }

    /** Opens (or creates) the outbox file at {@code path}, cutting a torn last line, reported on the monitor. */
    public static FileStatementOutbox open(Path path, Monitor monitor) {
        var outbox = new FileStatementOutbox(path);
        try {
            outbox.load(monitor);
        } catch (IOException e) {
            outbox.close();
            throw new EdcPersistenceException("cannot open the outbox " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            outbox.close();
            throw e;
        }
        return outbox;
    }

    private void load(Monitor monitor) throws IOException {
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        // a lock file of its own, held while the outbox file itself is replaced on open
        lockChannel = FileChannel.open(path.resolveSibling(path.getFileName() + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            // held by this same process
            lock = null;
        }
        if (lock == null) {
            throw new EdcPersistenceException("the outbox " + path + " is held by another process");
        }
        var bytes = Files.exists(path) ? Files.readAllBytes(path) : new byte[0];
                var end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end < bytes.length) {
            monitor.warning("Outbox %s: cut off an incomplete last line of %d bytes".formatted(path, bytes.length - end));
        }
        var text = new String(bytes, 0, end, StandardCharsets.UTF_8);
        var number = 0;
        for (var line : text.split("\n")) {
            number++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                apply(JsonCodec.reader().readTree(line));
            } catch (IOException | RuntimeException e) {
                throw new EdcPersistenceException("outbox %s, line %d is not an outbox record".formatted(path, number));
            }
        }
        rewrite();
    }

    private void apply(JsonNode line) {
        var id = line.get("id").asText();
        switch (line.get("op").asText()) {
            case "put" -> pending.put(id, new Pending(id, line.get("kind").asText(), line.get("address").asText(), line.get("statement").asText(),
                    Instant.parse(line.get("created").asText()), line.get("attempts").asInt(), Instant.parse(line.get("due").asText())));
            case "complete" -> {
                var kept = pending.get(id);
                if (kept != null) {
                    pending.put(id, new Pending(id, line.get("kind").asText(), kept.address(), line.get("statement").asText(), kept.created(), 0,
                            Instant.parse(line.get("due").asText())));
                }
            }
            case "retry" -> {
                var kept = pending.get(id);
                if (kept != null) {
                    pending.put(id, new Pending(id, kept.kind(), kept.address(), kept.statement(), kept.created(), line.get("attempts").asInt(),
                            Instant.parse(line.get("due").asText())));
                }
            }
            case "done" -> pending.remove(id);
            default -> throw new IllegalArgumentException("unknown op");
        }
    }

    // the statements not done, written to a new file that replaces the old one only once it is on disk
    private void rewrite() throws IOException {
        var fresh = path.resolveSibling(path.getFileName() + ".new");
        try (var out = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            var text = new StringBuilder();
            pending.values().forEach(statement -> text.append(putLine(statement)).append('\n'));
            out.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        Files.move(fresh, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (path.toAbsolutePath().getParent() != null) {
            try (var directory = FileChannel.open(path.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
                directory.force(true);
            } catch (IOException e) {
                // some file systems cannot sync a directory; the rename itself is atomic
            }
        }
        channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private static String putLine(Pending statement) {
        return JsonNodeFactory.instance.objectNode().put("op", "put").put("id", statement.id()).put("kind", statement.kind()).put("address", statement.address())
                .put("statement", statement.statement()).put("created", statement.created().toString()).put("attempts", statement.attempts())
                .put("due", statement.due().toString()).toString();
    }

    private void append(String line) {
        try {
            var buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new EdcPersistenceException("cannot write to the outbox " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Pending put(String kind, String address, String statement, Instant now) {
        var kept = new Pending(UUID.randomUUID().toString(), kind, address, statement, now, 0, now);
        append(putLine(kept));
        pending.put(kept.id(), kept);
        return kept;
    }

    @Override
    public synchronized Pending hold(String kind, String address, String statement, String holder, Instant now, Instant until) {
        var kept = put(kind, address, statement, now);
        // claims live in memory: the file has one process, and a restarted one may take up the draft at once
        claims.put(kept.id(), new Claim(holder, until));
        return kept;
    }

    @Override
    public synchronized boolean complete(String id, String holder, String kind, String statement, Instant now) {
        if (!holds(id, holder)) {
            return false;
        }
        append(JsonNodeFactory.instance.objectNode().put("op", "complete").put("id", id).put("kind", kind).put("statement", statement)
                .put("due", now.toString()).toString());
        var kept = pending.get(id);
        pending.put(id, new Pending(id, kind, kept.address(), statement, kept.created(), 0, now));
        claims.remove(id);
        return true;
    }

    @Override
    public synchronized List<Pending> claim(String kind, String holder, Instant now, Instant until, int max) {
        var claimed = new ArrayList<Pending>();
        pending.values().stream().filter(statement -> statement.kind().equals(kind) && !statement.due().isAfter(now))
                .filter(statement -> {
                    var claim = claims.get(statement.id());
                    return claim == null || !claim.until().isAfter(now);
                })
                .sorted(Comparator.comparing(Pending::due)).limit(max).forEach(statement -> {
                    claims.put(statement.id(), new Claim(holder, until));
                    claimed.add(statement);
                });
        return claimed;
    }

    @Override
    public synchronized boolean retry(String id, String holder, int attempts, Instant due) {
        if (!holds(id, holder)) {
            return false;
        }
        append(JsonNodeFactory.instance.objectNode().put("op", "retry").put("id", id).put("attempts", attempts).put("due", due.toString()).toString());
        var kept = pending.get(id);
        pending.put(id, new Pending(id, kept.kind(), kept.address(), kept.statement(), kept.created(), attempts, due));
        claims.remove(id);
        return true;
    }

    @Override
    public synchronized boolean done(String id, String holder, Outcome outcome, String detail, Instant now) {
        if (!holds(id, holder)) {
            return false;
        }
        ObjectNode line = JsonNodeFactory.instance.objectNode().put("op", "done").put("id", id).put("outcome", outcome.name()).put("at", now.toString());
        if (detail != null) {
            line.put("detail", detail);
        }
        append(line.toString());
        pending.remove(id);
        claims.remove(id);
        return true;
    }

    private boolean holds(String id, String holder) {
        var claim = claims.get(id);
        return pending.containsKey(id) && claim != null && claim.holder().equals(holder);
    }

    @Override
    public synchronized Optional<Instant> nextDue(String kind) {
        return pending.values().stream().filter(statement -> statement.kind().equals(kind)).map(statement -> {
            var claim = claims.get(statement.id());
            return claim != null && claim.until().isAfter(statement.due()) ? claim.until() : statement.due();
        }).min(Comparator.naturalOrder());
    }

    @Override
    public synchronized List<Pending> pending(String kind) {
        return pending.values().stream().filter(statement -> statement.kind().equals(kind)).sorted(Comparator.comparing(Pending::created)).toList();
    }

    @Override
    public synchronized void close() {
        try {
            if (channel != null) {
                channel.close();
            }
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            // every change was forced to disk when it was made
        }
    }
}
