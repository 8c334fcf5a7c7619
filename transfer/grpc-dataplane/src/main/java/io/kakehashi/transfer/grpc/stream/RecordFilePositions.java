package io.kakehashi.transfer.grpc.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a file record stream stood, kept in a small file per transfer so the numbering of the records survives a
 * restart of the connector: a list of checkpoints, each the sequence of a record, the byte offset where that record
 * begins and the identity of the file it is in (device and inode, and a hash of the file's first bytes, since a
 * file system gives a removed file's inode to the next new file). A save replaces the file atomically and forces it
 * to disk. Not thread-safe: one source uses it.
 */
public final class RecordFilePositions {

    /**
     * The record with {@code sequence} begins at byte {@code offset} of the file whose key is {@code fileKey} and whose
     * first bytes (up to {@link #HEAD_BYTES}, never beyond the offset) hash to {@code head}.
     */
    public record Checkpoint(long sequence, long offset, String head, String fileKey) {
    }

    /** How many of a file's first bytes tell it from another file with the same inode. */
    public static final int HEAD_BYTES = 256;

    private final Path file;

    public RecordFilePositions(Path file) {
        this.file = file;
    }

    /** The saved checkpoints, oldest first; none when nothing was saved yet. */
    public List<Checkpoint> load() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        var checkpoints = new ArrayList<Checkpoint>();
        for (var line : lines) {
            if (line.isBlank()) {
                continue;
            }
            var fields = line.split(" ", 4);
            try {
                checkpoints.add(new Checkpoint(Long.parseLong(fields[0]), Long.parseLong(fields[1]), fields[2], fields[3]));
            } catch (RuntimeException e) {
                throw new IOException("the record-stream positions file %s is damaged (line '%s')".formatted(file, line));
            }
        }
        return checkpoints;
    }

    public void save(List<Checkpoint> checkpoints) throws IOException {
        var text = new StringBuilder();
        for (var checkpoint : checkpoints) {
            text.append(checkpoint.sequence()).append(' ').append(checkpoint.offset()).append(' ').append(checkpoint.head())
                    .append(' ').append(checkpoint.fileKey()).append('\n');
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        var temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (var channel = java.nio.channels.FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Forgets the positions (the transfer ended). */
    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }
}
