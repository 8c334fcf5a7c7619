package io.kakehashi.transfer.grpc.stream;

import io.kakehashi.transfer.grpc.stream.RecordFilePositions.Checkpoint;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Records from a JSON Lines file that a producer appends to, followed as it grows, the way {@code tail -F} follows a
 * log: each complete non-blank line is one record (its line feed, and a carriage return before it, removed; lines are
 * passed on as they are, not parsed). A last line without its line feed is not delivered until the line feed comes.
 * <ul>
 *     <li><b>Rotation</b>: when another file appears under the name (the old one renamed or removed), the old file is
 *     read to its end once more and the new one is followed from its start; an unterminated last line of the old file
 *     is dropped, and lines a producer still writes into the old file after that are not seen. While no file is under
 *     the name the source waits.</li>
 *     <li><b>Truncation</b> (the file became shorter than what was read, as with {@code copytruncate}): the file is
 *     followed again from its start.</li>
 *     <li><b>Numbering</b>: records are numbered from 0 across rotations, with no gap. Checkpoints (sequence, byte
 *     offset, file identity) are saved at the start, at each rotation or truncation, at most once a second while
 *     records flow, and at close, so a source opened again for the same transfer (after a restart) continues at the
 *     last checkpoint and {@link #seek} can go back to any record of the current file (from its start, or from one of the
 *     recent checkpoints).
 *     </li>
 * </ul>
 * A source that has read everything waits for the file's directory to change (the file system's notification, inotify
 * on Linux) or for the poll interval, whichever comes first; the notification only shortens the wait.
 * <p>
 * Not thread-safe: one stream reads it at a time.
 */
public final class JsonLinesFileRecordSource implements SeekableRecordSource {

    public static final String CONTENT_TYPE = "application/x-ndjson";
    private static final int READ_SIZE = 64 * 1024;
    private static final int KEPT_CHECKPOINTS = 64;
    private static final long CHECKPOINT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Opens the file for reading; the caller decides what may be opened (confinement). */
    @FunctionalInterface
    public interface Opener {
        FileChannel open() throws IOException;
    }

    private final Path file;
    private final Opener opener;
    private final RecordFilePositions positions;
    private final int maxLineBytes;
    private final long pollMillis;
    private final ArrayDeque<Checkpoint> checkpoints = new ArrayDeque<>();

    /** The file being read; null while none is under the name (between a rotation and the new file). */
    private FileChannel channel;
    private String fileKey;
    private byte[] buffer = new byte[READ_SIZE];
    /** Read but not yet consumed: buffer[start, end); buffer[start, scanned) holds no line feed. */
    private int start;
    private int scanned;
    private int end;
    /** Byte offset in the file of buffer[start], where the next record (or blank line) begins. */
    private long offset;
    private long sequence;
    private boolean draining;
    private long lastCheckpoint;
    /** Wakes a waiting source when the file's directory changes; null where the platform gives no notifications. */
    private java.nio.file.WatchService watcher;

    private JsonLinesFileRecordSource(Path file, Opener opener, RecordFilePositions positions, int maxLineBytes, Duration pollInterval) {
        this.file = file;
        this.opener = opener;
        this.positions = positions;
        this.maxLineBytes = maxLineBytes;
        this.pollMillis = Math.max(1, pollInterval.toMillis());
    }

    /**
     * Opens a file for a transfer: at the transfer's last saved checkpoint if it has one, else at the file's start.
     *
     * @return a failure when the file does not exist, cannot be read, or was replaced or truncated since the saved
     * checkpoint (its records could no longer be numbered as before)
     */
    public static Result<JsonLinesFileRecordSource> open(Path file, Opener opener, RecordFilePositions positions, int maxLineBytes,
                                                         Duration pollInterval) {
        return open(file, opener, positions, maxLineBytes, pollInterval, true);
    }

    /**
     * As {@link #open(Path, Opener, RecordFilePositions, int, Duration)}; with {@code watch} false the source only
     * polls (for file systems whose notifications miss writes, such as network file systems).
     */
    public static Result<JsonLinesFileRecordSource> open(Path file, Opener opener, RecordFilePositions positions, int maxLineBytes,
                                                         Duration pollInterval, boolean watch) {
        var source = new JsonLinesFileRecordSource(file, opener, positions, maxLineBytes, pollInterval);
        try {
            source.channel = opener.open();
            source.watcher = watch ? watch(file.toAbsolutePath().getParent()) : null;
            source.fileKey = fileKey(file);
            var saved = positions.load();
            if (saved.isEmpty()) {
                source.checkpoint();
                return Result.success(source);
            }
            source.checkpoints.addAll(saved);
            var last = saved.get(saved.size() - 1);
            if (!last.fileKey().equals(source.fileKey) || source.channel.size() < last.offset()
                    || !last.head().equals(source.head(last.offset()))) {
                source.release();
                return Result.failure(("the record file %s was replaced or truncated while the stream was not running, so its records"
                        + " after sequence %d cannot be numbered as before; start a new transfer").formatted(file.getFileName(), last.sequence()));
            }
            source.moveTo(last);
            return Result.success(source);
        } catch (NoSuchFileException e) {
            source.release();
            return Result.failure("the record file %s does not exist".formatted(file.getFileName()));
        } catch (IOException e) {
            source.release();
            return Result.failure("the record file %s cannot be read: %s".formatted(file.getFileName(), e.getMessage()));
        }
    }

    @Override
    public byte[] next(Duration maxWait) throws InterruptedException {
        var deadline = System.nanoTime() + maxWait.toNanos();
        try {
            while (true) {
                var line = readLine();
                if (line != null) {
                    if (System.nanoTime() - lastCheckpoint >= CHECKPOINT_INTERVAL_NANOS) {
                        checkpoint();
                    }
                    return line;
                }
                if (followRename()) {
                    continue;
                }
                var left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                awaitChange(Math.max(1, Math.min(pollMillis, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the record file %s cannot be read: %s".formatted(file.getFileName(), e.getMessage()), e);
        }
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public long nextSequence() {
        return sequence;
    }

    @Override
    public Result<Void> seek(long target) {
        if (target == sequence) {
            return Result.success();
        }
        if (channel == null) {
            return Result.failure("record %d is not available: no record file is under %s at the moment".formatted(target, file.getFileName()));
        }
        var here = new Checkpoint(sequence, offset, "", fileKey);
        var from = target > sequence ? here : checkpoints.stream()
                .filter(c -> c.fileKey().equals(fileKey) && c.sequence() <= target)
                .reduce((a, b) -> b.sequence() >= a.sequence() ? b : a)
                .orElse(null);
        if (from == null) {
            return Result.failure("record %d is no longer in the record file %s (it was rotated or truncated since)"
                    .formatted(target, file.getFileName()));
        }
        try {
            moveTo(from);
            while (sequence < target) {
                if (readLine() == null) {
                    var held = sequence;
                    moveTo(here);
                    return Result.failure("record %d is not in the record file %s yet (the next record is %d)"
                            .formatted(target, file.getFileName(), held));
                }
            }
            return Result.success();
        } catch (IOException | RuntimeException e) {
            try {
                moveTo(here);
            } catch (IOException ignored) {
                // the next read reports the file's trouble
            }
            return Result.failure("the record file %s cannot be read: %s".formatted(file.getFileName(), e.getMessage()));
        }
    }

    /** Saves where the stream stands and closes the file. */
    @Override
    public void close() {
        try {
            if (channel != null) {
                checkpoint();
            }
        } catch (UncheckedIOException ignored) {
            // the last checkpoint saved stands
        } finally {
            release();
        }
    }

    /** Closes the file and stops watching its directory, saving nothing. */
    private void release() {
        closeChannel();
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // nothing is lost: the watcher only wakes the source early
            }
            watcher = null;
        }
    }

    /**
     * Waits until the file's directory reports a change (the file system's notification, where the platform has one)
     * or at most {@code millis}: the notification only wakes the source early, the poll alone decides what is read.
     */
    private void awaitChange(long millis) throws InterruptedException {
        if (watcher == null) {
            Thread.sleep(millis);
            return;
        }
        try {
            var key = watcher.poll(millis, TimeUnit.MILLISECONDS);
            while (key != null) {
                key.pollEvents();
                key.reset();
                key = watcher.poll();
            }
        } catch (java.nio.file.ClosedWatchServiceException e) {
            Thread.sleep(millis);
        }
    }

    private static java.nio.file.WatchService watch(Path directory) {
        java.nio.file.WatchService service = null;
        try {
            service = directory.getFileSystem().newWatchService();
            directory.register(service, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE,
                    java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY, java.nio.file.StandardWatchEventKinds.ENTRY_DELETE);
            return service;
        } catch (IOException | UnsupportedOperationException e) {
            // no notifications (a limit reached, a file system without them): the source polls
            if (service != null) {
                try {
                    service.close();
                } catch (IOException ignored) {
                    // it never watched anything
                }
            }
            return null;
        }
    }

    /** A complete non-blank line that is already in the file, or null. */
    private byte[] readLine() throws IOException {
        while (channel != null) {
            var newline = indexOfNewline();
            if (newline >= 0) {
                var lineEnd = newline > start && buffer[newline - 1] == '\r' ? newline - 1 : newline;
                var length = lineEnd - start;
                if (length > maxLineBytes) {
                    throw new IllegalStateException(tooLong());
                }
                var line = Arrays.copyOfRange(buffer, start, lineEnd);
                offset += newline + 1 - start;
                start = newline + 1;
                scanned = start;
                if (isBlank(line)) {
                    continue;
                }
                sequence++;
                return line;
            }
            scanned = end;
            if (end - start > maxLineBytes) {
                throw new IllegalStateException(tooLong());
            }
            if (end == buffer.length) {
                makeRoom();
            }
            var read = channel.read(ByteBuffer.wrap(buffer, end, buffer.length - end));
            if (read <= 0) {
                return null;
            }
            end += read;
        }
        return null;
    }

    private int indexOfNewline() {
        for (var i = scanned; i < end; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void makeRoom() {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            scanned -= start;
            end -= start;
            start = 0;
        } else {
            buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, maxLineBytes + READ_SIZE));
        }
    }

    /**
     * Looks whether the name now holds another file (rotated) or a shorter one (truncated) and follows it.
     *
     * @return whether there may be something new to read at once
     */
    private boolean followRename() throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            // renamed away, the new file not there yet: keep reading the old one until it appears
            return false;
        }
        var key = String.valueOf(attributes.fileKey());
        if (channel != null && key.equals(fileKey)) {
            if (attributes.size() < offset + (end - start)) {
                // what the checkpoints of this file point at is gone
                checkpoints.removeIf(c -> c.fileKey().equals(fileKey));
                moveTo(new Checkpoint(sequence, 0, "", fileKey));
                checkpoint();
                return true;
            }
            return false;
        }
        if (channel != null && !draining) {
            // read what the producer wrote into the old file before it was renamed, then leave it
            draining = true;
            return true;
        }
        draining = false;
        FileChannel next;
        try {
            next = opener.open();
        } catch (NoSuchFileException e) {
            return false;
        }
        closeChannel();
        channel = next;
        fileKey = key;
        // a file system may give the new file the inode of one read before
        checkpoints.removeIf(c -> c.fileKey().equals(key));
        moveTo(new Checkpoint(sequence, 0, "", key));
        checkpoint();
        return true;
    }

    private void moveTo(Checkpoint checkpoint) throws IOException {
        channel.position(checkpoint.offset());
        offset = checkpoint.offset();
        sequence = checkpoint.sequence();
        start = 0;
        scanned = 0;
        end = 0;
    }

    private void checkpoint() {
        try {
            checkpoints.addLast(new Checkpoint(sequence, offset, head(offset), fileKey));
        } catch (IOException e) {
            throw new UncheckedIOException("the record file %s cannot be read: %s".formatted(file.getFileName(), e.getMessage()), e);
        }
        // the oldest go, except where the current file starts: any of its records stays reachable by reading forward
        for (var it = checkpoints.iterator(); checkpoints.size() > KEPT_CHECKPOINTS && it.hasNext(); ) {
            var oldest = it.next();
            if (oldest.offset() != 0 || !oldest.fileKey().equals(fileKey)) {
                it.remove();
            }
        }
        lastCheckpoint = System.nanoTime();
        try {
            positions.save(checkpoints.stream().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the position in the record file %s: %s".formatted(file.getFileName(), e.getMessage()), e);
        }
    }

    /** The hash of the file's first bytes, at most up to {@code limit}: what was read is never rewritten in a log. */
    private String head(long limit) throws IOException {
        var head = ByteBuffer.allocate((int) Math.min(limit, RecordFilePositions.HEAD_BYTES));
        while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
            // positional reads leave the channel's position alone
        }
        head.flip();
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256");
            digest.update(head);
            return head.limit() + ":" + java.util.HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only: nothing is lost
            }
            channel = null;
        }
    }

    private String tooLong() {
        return "the record at byte %d of the record file %s is longer than %d bytes".formatted(offset, file.getFileName(), maxLineBytes);
    }

    private static boolean isBlank(byte[] line) {
        for (var b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static String fileKey(Path file) throws IOException {
        return String.valueOf(Files.readAttributes(file, BasicFileAttributes.class).fileKey());
    }
}
