package io.kakehashi.transfer.grpc.bulk;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Status;
import io.kakehashi.transfer.grpc.v1.BulkMessage;
import io.kakehashi.transfer.grpc.v1.Trailer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Writes a bulk transfer into a partial file beside its destination ({@code .<name>.part}) and moves it into
 * place only when the trailer's size and SHA-256 match what arrived, so an incomplete or corrupt transfer never
 * looks complete. The partial file survives a dropped connection: {@link #checkpoint()} forces it to disk and
 * answers the offset to resume from. Between checkpoints the bytes live in the page cache, which survives the
 * process; after a crash of the machine a resumed prefix may be wrong, and the end-to-end SHA-256 then refuses
 * the result (DATA_LOSS) instead of keeping it. Each message is checked (header start offset, chunk offset and sequence);
 * a bad one fails with a gRPC status and, where the content can no longer be trusted, removes the partial file.
 * Not thread-safe: one call at a time feeds it.
 */
public final class BulkReceiver implements AutoCloseable {

    private final Path destination;
    private final Path partial;
    private FileChannel channel;
    private MessageDigest digest;
    private long offset;
    private long expectedSequence;
    private boolean headerSeen;
    private long totalSize = -1;
    private boolean complete;

    private BulkReceiver(Path destination) {
        this.destination = destination.toAbsolutePath();
        this.partial = this.destination.resolveSibling("." + this.destination.getFileName() + ".part");
    }

    /** Opens a receiver for {@code destination}, resuming a partial file a former attempt left. */
    public static BulkReceiver open(Path destination) throws IOException {
        var receiver = new BulkReceiver(destination);
        receiver.openPartial();
        return receiver;
    }

    /** Where a partial file for {@code destination} lives. */
    public static Path partialFileOf(Path destination) {
        return new BulkReceiver(destination).partial;
    }

    private void openPartial() throws IOException {
        Files.createDirectories(partial.getParent());
        channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        digest = ChunkPump.sha256();
        offset = channel.size();
        // the hash covers the whole file, so a resumed receiver hashes what it already holds
        var buffer = ByteBuffer.allocate(64 * 1024);
        long position = 0;
        while (position < offset) {
            buffer.clear();
            var read = channel.read(buffer, position);
            if (read < 0) {
                break;
            }
            digest.update(buffer.array(), 0, read);
            position += read;
        }
        channel.position(offset);
    }

    /** The offset everything before which is on disk; the next call asks the sender to start there. */
    public long checkpoint() throws IOException {
        if (channel.isOpen()) {
            channel.force(false);
        }
        headerSeen = false;
        return offset;
    }

    /** The bytes held so far. */
    public long offset() {
        return offset;
    }

    /** The size the sender announced, or -1. */
    public long totalSize() {
        return totalSize;
    }

    public boolean isComplete() {
        return complete;
    }

    /**
     * Takes the next message of a call.
     *
     * @return null when accepted, else the status the call must end with
     */
    public Status accept(BulkMessage message) throws IOException {
        if (complete) {
            return Status.FAILED_PRECONDITION.withDescription("the transfer is already complete");
        }
        switch (message.getKindCase()) {
            case HEADER -> {
                if (headerSeen) {
                    return Status.INVALID_ARGUMENT.withDescription("a second header in one call");
                }
                if (message.getHeader().getStartOffset() != offset) {
                    return Status.OUT_OF_RANGE.withDescription("the sender starts at %d, the receiver holds %d"
                            .formatted(message.getHeader().getStartOffset(), offset));
                }
                headerSeen = true;
                expectedSequence = 0;
                totalSize = message.getHeader().getTotalSize();
                return null;
            }
            case CHUNK -> {
                var chunk = message.getChunk();
                if (!headerSeen) {
                    return Status.INVALID_ARGUMENT.withDescription("a chunk before the header");
                }
                if (chunk.getSequence() != expectedSequence || chunk.getOffset() != offset) {
                    return Status.INVALID_ARGUMENT.withDescription("chunk %d at %d, expected %d at %d"
                            .formatted(chunk.getSequence(), chunk.getOffset(), expectedSequence, offset));
                }
                // the chunk's own bytes go to the file and the hash, without the copy a read-only view would cost
                UnsafeByteOperations.unsafeWriteTo(chunk.getData(), sink);
                offset += chunk.getData().size();
                expectedSequence++;
                return null;
            }
            case TRAILER -> {
                if (!headerSeen) {
                    return Status.INVALID_ARGUMENT.withDescription("a trailer before the header");
                }
                return complete(message.getTrailer());
            }
            default -> {
                return Status.INVALID_ARGUMENT.withDescription("an empty message");
            }
        }
    }

    private Status complete(Trailer trailer) throws IOException {
        var actual = digest.digest();
        if (trailer.getTotalSize() != offset || !Arrays.equals(actual, trailer.getSha256().toByteArray())) {
            abandon();
            return Status.DATA_LOSS.withDescription("checksum mismatch: received %d bytes with SHA-256 %s, the sender announced %d bytes"
                    .formatted(offset, HexFormat.of().formatHex(actual), trailer.getTotalSize()));
        }
        channel.force(true);
        channel.close();
        try {
            Files.move(partial, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.move(partial, destination, StandardCopyOption.REPLACE_EXISTING);
        }
        complete = true;
        sha256 = actual;
        return null;
    }

    private byte[] sha256;

    /** Writes what protobuf hands over to the partial file and the running hash; only reads the arrays it is given. */
    private final ByteOutput sink = new ByteOutput() {
        @Override
        public void write(byte value) throws IOException {
            write(new byte[] {value}, 0, 1);
        }

        @Override
        public void write(byte[] value, int offset, int length) throws IOException {
            write(ByteBuffer.wrap(value, offset, length));
        }

        @Override
        public void writeLazy(byte[] value, int offset, int length) throws IOException {
            write(value, offset, length);
        }

        @Override
        public void write(ByteBuffer value) throws IOException {
            digest.update(value.duplicate());
            while (value.hasRemaining()) {
                channel.write(value);
            }
        }

        @Override
        public void writeLazy(ByteBuffer value) throws IOException {
            write(value);
        }
    };

    /** The SHA-256 of the complete content, once complete. */
    public byte[] sha256() {
        return sha256 == null ? null : sha256.clone();
    }

    /** Gives up: the partial file is removed so that nothing half-written remains. */
    public void abandon() {
        try {
            channel.close();
            Files.deleteIfExists(partial);
        } catch (IOException ignored) {
            // best effort: a leftover file is still named .part and never taken for the result
        }
    }

    /** Closes the partial file, keeping it for a later resume (unless complete or abandoned). */
    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            channel.force(false);
            channel.close();
        }
    }
}
