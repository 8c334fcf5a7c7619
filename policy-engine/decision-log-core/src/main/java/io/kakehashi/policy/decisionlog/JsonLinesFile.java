package io.kakehashi.policy.decisionlog;

import org.eclipse.edc.spi.persistence.EdcPersistenceException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An append-only file of newline-terminated lines with an in-memory index of where each line starts.
 *
 * <p>Writable mode: the file is locked against other processes; a last line without its newline is a write
 * that was cut short by a crash (never acknowledged, since acknowledgement follows the fsync) and is cut off on
 * open; an {@link #append} is forced to the device before it returns, and {@link #write} / {@link #force()} /
 * {@link #markDurable} let a caller force many lines with one flush (group commit): {@link #write} only adds the line to
 * a buffer in memory, and {@link #force()} hands everything buffered to the file with one write before it forces it;
 * reads see durable lines only. Read-only mode (for offline verification of copies) never changes the file and ignores
 * such a torn tail, reporting its size through {@link #tornBytes()}.
 *
 * <p>Thread-safe: appends are serialised; reads use positional reads on a consistent snapshot of the index.
 */
final class JsonLinesFile implements AutoCloseable {

    private static final int READ_CHUNK = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean writable;
    private final long tornBytes;
    // offsets[i] is where line i+1 starts; offsets[count] is the end of the last complete line
    private long[] offsets = new long[1024];
    private int count;
    // lines 1..durable are on the device; reads see only these
    private int durable;
    private String broken;
    // lines written (indexed in offsets) but not yet handed to the channel: the last unwrittenLength bytes before
    // offsets[count]; force() swaps the buffer with spare and writes it
    private byte[] unwritten = new byte[0];
    private int unwrittenLength;
    private byte[] spare = new byte[0];
    private volatile Forcing forcing = channel -> channel.force(true);

    private JsonLinesFile(Path path, boolean writable) throws IOException {
        this.path = path;
        this.writable = writable;
        var existed = Files.exists(path);
        channel = writable
                ? FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
        try {
            lock = writable ? tryLock() : null;
            var end = index();
            durable = count;
            tornBytes = channel.size() - end;
            if (writable && tornBytes > 0) {
                channel.truncate(end);
                channel.force(true);
            }
            if (writable && !existed) {
                forceDirectory(path.toAbsolutePath().getParent());
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    static JsonLinesFile openWritable(Path path) {
        try {
            return new JsonLinesFile(path, true);
        } catch (IOException e) {
            throw new EdcPersistenceException("cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    static JsonLinesFile openReadOnly(Path path) throws IOException {
        return new JsonLinesFile(path, false);
    }

    private FileLock tryLock() throws IOException {
        var acquired = channel.tryLock();
        if (acquired == null) {
            throw new IOException("another process holds " + path);
        }
        return acquired;
    }

    private long index() throws IOException {
        var buffer = ByteBuffer.allocate(READ_CHUNK);
        long position = 0;
        offsets[0] = 0;
        count = 0;
        while (true) {
            buffer.clear();
            var read = channel.read(buffer, position);
            if (read <= 0) {
                break;
            }
            for (int i = 0; i < read; i++) {
                if (buffer.get(i) == '\n') {
                    addLineEnd(position + i + 1);
                }
            }
            position += read;
        }
        return offsets[count];
    }

    private void addLineEnd(long end) {
        if (count + 1 >= offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length * 2);
        }
        offsets[++count] = end;
    }

    /**
     * Bytes of an unterminated last line found on open: cut off in writable mode, ignored in read-only mode.
     */
    long tornBytes() {
        return tornBytes;
    }

    /**
     * Lines that are durable: on open, all complete ones; then those covered by a {@link #force()} that succeeded
     * ({@link #markDurable}). Reads see only these.
     */
    synchronized int lineCount() {
        return durable;
    }

    /**
     * Lines written, durable or not.
     */
    synchronized int writtenCount() {
        return count;
    }

    /**
     * Appends the line (which must not contain a newline) and forces it to the device before returning its number.
     * Not for use on a file that also has unforced writes ({@link #write}).
     */
    synchronized long append(String line) {
        var number = write(line);
        try {
            force();
        } catch (IOException e) {
            truncateToDurable();
            throw new EdcPersistenceException("cannot append to " + path + ": " + e.getMessage(), e);
        }
        markDurable(number);
        return number;
    }

    /**
     * Writes the line (which must not contain a newline) after the last one written, without forcing it to the device:
     * it is not durable, and reads do not see it, until a {@link #force()} that started after this call has returned
     * and {@link #markDurable} has been told. The line is only buffered in memory; the next {@link #force()} hands it
     * to the file.
     *
     * @return the line's number
     */
    synchronized long write(String line) {
        return write(line.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@link #write(String)} of a line given as its UTF-8 bytes (without the newline).
     */
    synchronized long write(byte[] line) {
        if (!writable) {
            throw new IllegalStateException(path + " is open read-only");
        }
        if (broken != null) {
            throw new EdcPersistenceException("cannot append to " + path + ": " + broken);
        }
        var needed = unwrittenLength + line.length + 1;
        if (needed > unwritten.length) {
            unwritten = Arrays.copyOf(unwritten, Math.max(needed, Math.max(4096, unwritten.length * 2)));
        }
        System.arraycopy(line, 0, unwritten, unwrittenLength, line.length);
        unwritten[unwrittenLength + line.length] = '\n';
        unwrittenLength = needed;
        addLineEnd(offsets[count] + line.length + 1);
        return count;
    }

    /**
     * Writes every line written so far ({@link #write}) to the file, with one write, and forces the file (content and
     * length: an acknowledged entry must be readable after a power cut) to the device. Not synchronised with
     * {@link #write}: lines written while it runs may or may not be covered, so a caller marks durable only the lines
     * written before it started. One at a time. When it fails, the caller cuts off what is not durable
     * ({@link #truncateToDurable()}).
     */
    void force() throws IOException {
        byte[] data;
        int length;
        long position;
        synchronized (this) {
            data = unwritten;
            length = unwrittenLength;
            position = offsets[count] - length;
            unwritten = spare;
            unwrittenLength = 0;
        }
        try {
            var buffer = ByteBuffer.wrap(data, 0, length);
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
        } finally {
            synchronized (this) {
                spare = data;
            }
        }
        forcing.force(channel);
    }

    /**
     * How lines are forced to the device; replaced by tests to make a flush fail.
     */
    @FunctionalInterface
    interface Forcing {
        void force(FileChannel channel) throws IOException;
    }

    void forceWith(Forcing forcing) {
        this.forcing = forcing;
    }

    /**
     * The first {@code lines} lines are durable (a {@link #force()} that started after they were written returned).
     */
    synchronized void markDurable(long lines) {
        if (lines > count) {
            throw new IllegalStateException("cannot mark " + lines + " lines durable, " + count + " were written");
        }
        durable = (int) Math.max(durable, lines);
    }

    /**
     * Cuts off every line that is not durable (after a failed {@link #force()}: they may or may not have reached the
     * device, and none of them was acknowledged).
     */
    synchronized void truncateToDurable() {
        try {
            channel.truncate(offsets[durable]);
        } catch (IOException e) {
            // writing on would leave pieces of the cut lines after the new ones: refuse until the file is reopened,
            // which cuts off (or keeps, as the chain's valid continuation) what is there
            broken = "lines that could not be forced could not be cut off either (" + e.getMessage() + "); reopen the log";
        }
        count = durable;
        unwrittenLength = 0;
    }

    /**
     * Lines {@code from} (1-based) on, at most {@code max}, without their newlines.
     */
    List<String> read(long from, int max) {
        var page = readPage(from, max);
        var lines = new ArrayList<String>(page.size());
        for (int i = 0; i < page.size(); i++) {
            lines.add(page.line(i));
        }
        return lines;
    }

    /**
     * Lines {@code from} (1-based) on, at most {@code max}, as one read of the bytes on file.
     */
    LineSource.Page readPage(long from, int max) {
        long start;
        long end;
        int first;
        int last;
        long[] snapshot;
        synchronized (this) {
            if (from < 1 || from > durable || max < 1) {
                return new LineSource.Page(new byte[0], new int[0]);
            }
            first = (int) from;
            last = (int) Math.min((long) durable, from + max - 1);
            snapshot = offsets;
            start = snapshot[first - 1];
            end = snapshot[last];
        }
        var bytes = readBytes(start, end);
        var ends = new int[last - first + 1];
        for (int line = first; line <= last; line++) {
            ends[line - first] = (int) (snapshot[line] - start);
        }
        return new LineSource.Page(bytes, ends);
    }

    private byte[] readBytes(long start, long end) {
        var length = end - start;
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("page too large");
        }
        var buffer = ByteBuffer.allocate((int) length);
        try {
            var position = start;
            while (buffer.hasRemaining()) {
                var read = channel.read(buffer, position);
                if (read < 0) {
                    throw new IOException("file shorter than its index");
                }
                position += read;
            }
        } catch (IOException e) {
            throw new EdcPersistenceException("cannot read " + path + ": " + e.getMessage(), e);
        }
        return buffer.array();
    }

    private static void forceDirectory(Path directory) {
        if (directory == null) {
            return;
        }
        // makes the new file's directory entry durable; not every platform can open a directory, which is fine
        try (var dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            throw new EdcPersistenceException("cannot close " + path + ": " + e.getMessage(), e);
        }
    }
}
