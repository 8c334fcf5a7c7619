package io.kakehashi.transfer.grpc.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.zip.CRC32;

/**
 * Appends each record's payload and a line feed to a file (JSON Lines for JSON telemetry), durably across a restart
 * of the consumer: after each batch ({@link #flush()}) it writes the batch to the file and then a small position
 * file beside it ({@code .<name>.position}: the transfer, the next sequence, the file's length and their CRC-32, one
 * fixed-size record overwritten in place with a single write). Reopened for the same transfer, it cuts the file back to the recorded
 * length (dropping a batch torn by a crash, which the provider then sends again) and continues at the recorded
 * sequence, so nothing is lost or repeated. Opened for another transfer, or without a position file, it starts the
 * file afresh. The position survives a crash of the process (the page cache keeps both files); it is not forced to
 * disk per batch. Not thread-safe: one stream feeds it (its methods are synchronized against a close from elsewhere).
 */
public final class FileRecordSink implements RecordSink {

    private final Path file;
    private final String transferId;
    private final FileChannel channel;
    private final FileChannel positionChannel;
    private final int positionSize;
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
        positionSize = Math.max(256, transferId.length() * 4 + 128);
        channel = FileChannel.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            positionChannel = FileChannel.open(positionFileOf(this.file), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
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
            positionChannel.truncate(positionSize);
        } catch (IOException | RuntimeException e) {
            channel.close();
            positionChannel.close();
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
                positionChannel.close();
            }
        }
    }

    private void writePosition() throws IOException {
        // one write of a fixed-size record in place: a process that dies has either written all of it or none of it,
        // and no file is created or renamed per batch (a rename per batch cost some 150-200 us)
        var text = "transfer=%s\nnext=%d\nlength=%d\n".formatted(transferId, nextSequence, length);
        var content = (text + "crc=" + Long.toHexString(crc(text)) + "\n").getBytes(StandardCharsets.UTF_8);
        // padded to the same size every time, so that no tail of a longer earlier record remains
        var record = new byte[positionSize];
        java.util.Arrays.fill(record, (byte) ' ');
        System.arraycopy(content, 0, record, 0, content.length);
        record[positionSize - 1] = '\n';
        var bytes = ByteBuffer.wrap(record);
        var at = 0L;
        while (bytes.hasRemaining()) {
            at += positionChannel.write(bytes, at);
        }
    }

    private static long crc(String text) {
        var crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
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
            var crcAt = text.indexOf("crc=");
            if (crcAt < 0) {
                return null;
            }
            var values = new HashMap<String, String>();
            for (var line : text.split("\n")) {
                var equals = line.indexOf('=');
                if (equals > 0) {
                    values.putIfAbsent(line.substring(0, equals), line.substring(equals + 1).strip());
                }
            }
            try {
                // a record torn by a crash of the machine does not match its checksum and is not taken
                if (Long.parseLong(values.get("crc"), 16) != crc(text.substring(0, crcAt))) {
                    return null;
                }
                var position = new Position(values.get("transfer"), Long.parseLong(values.get("next")), Long.parseLong(values.get("length")));
                return position.transferId() == null || position.nextSequence() < 0 || position.length() < 0 ? null : position;
            } catch (NumberFormatException | NullPointerException e) {
                return null;
            }
        }
    }
}
