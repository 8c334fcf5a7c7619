package io.kakehashi.transfer.grpc.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;

/**
 * Appends each record's payload and a line feed to a file (JSON Lines for JSON telemetry), durably across a restart
 * of the consumer: after each batch ({@link #flush()}) it writes the batch to the file and then replaces a small
 * position file beside it ({@code .<name>.position}: the transfer, the next sequence and the file's length; written to a
 * temporary file and renamed over the old one). Reopened for the same transfer, it cuts the file back to the recorded
 * length (dropping a batch torn by a crash, which the provider then sends again) and continues at the recorded
 * sequence, so nothing is lost or repeated. Opened for another transfer, or without a position file, it starts the
 * file afresh. The position survives a crash of the process (the page cache keeps both files); it is not forced to
 * disk per batch. Not thread-safe: one stream feeds it (its methods are synchronized against a close from elsewhere).
 */
public final class FileRecordSink implements RecordSink {

    private final Path file;
    private final String transferId;
    private final FileChannel channel;
    // one batch, written out at flush: one write per batch instead of two per record
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream(64 * 1024);
    private long nextSequence;
    private long batchNextSequence;
    private long length;

    /** A sink for an unnamed transfer (any position file beside {@code file} is taken as its own). */
    public FileRecordSink(Path file) throws IOException {
        this(file, "");
    }

    /** Opens the sink of {@code transferId}, continuing where its position file says it stands. */
    public FileRecordSink(Path file, String transferId) throws IOException {
        this.file = file.toAbsolutePath();
        this.transferId = transferId;
        Files.createDirectories(this.file.getParent());
        var recorded = Position.read(positionFileOf(this.file));
        channel = FileChannel.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            if (recorded != null && recorded.transferId().equals(transferId)) {
                if (channel.size() < recorded.length()) {
                    throw new IOException("the record file %s is shorter than its recorded position (%d < %d bytes)"
                            .formatted(this.file.getFileName(), channel.size(), recorded.length()));
                }
                // a batch written after the last recorded position is cut off: the provider sends it again
                channel.truncate(recorded.length());
                nextSequence = recorded.nextSequence();
                length = recorded.length();
            } else {
                channel.truncate(0);
                writePosition();
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        batchNextSequence = nextSequence;
    }

    /** Where the position of the sink writing {@code file} is kept. */
    public static Path positionFileOf(Path file) {
        var absolute = file.toAbsolutePath();
        return absolute.resolveSibling("." + absolute.getFileName() + ".position");
    }

    /** Whether a position of {@code transferId} is recorded beside {@code file} (a sink to reopen). */
    public static boolean hasPosition(Path file, String transferId) {
        try {
            var recorded = Position.read(positionFileOf(file));
            return recorded != null && recorded.transferId().equals(transferId);
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes the position beside {@code file} (the transfer ended; the records stay). */
    public static void forget(Path file) throws IOException {
        Files.deleteIfExists(positionFileOf(file));
    }

    @Override
    public synchronized long nextSequence() {
        return batchNextSequence;
    }

    @Override
    public synchronized void accept(long sequence, byte[] payload) throws IOException {
        batch.write(payload);
        batch.write('\n');
        batchNextSequence = sequence + 1;
    }

    @Override
    public synchronized void flush() throws IOException {
        if (batch.size() == 0) {
            return;
        }
        var buffer = ByteBuffer.wrap(batch.toByteArray());
        var position = length;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        batch.reset();
        length = position;
        nextSequence = batchNextSequence;
        writePosition();
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel.isOpen()) {
            try {
                flush();
            } finally {
                channel.close();
            }
        }
    }

    private void writePosition() throws IOException {
        var target = positionFileOf(file);
        var temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(temporary, "transfer=%s\nnext=%d\nlength=%d\n".formatted(transferId, nextSequence, length),
                StandardCharsets.UTF_8);
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A recorded position. */
    private record Position(String transferId, long nextSequence, long length) {

        /** The position in {@code positionFile}, or null when there is none or it cannot be read. */
        static Position read(Path positionFile) throws IOException {
            String text;
            try {
                text = Files.readString(positionFile, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return null;
            }
            var values = new HashMap<String, String>();
            for (var line : text.split("\n")) {
                var equals = line.indexOf('=');
                if (equals > 0) {
                    values.put(line.substring(0, equals), line.substring(equals + 1).strip());
                }
            }
            try {
                var position = new Position(values.get("transfer"), Long.parseLong(values.get("next")), Long.parseLong(values.get("length")));
                return position.transferId() == null || position.nextSequence() < 0 || position.length() < 0 ? null : position;
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
