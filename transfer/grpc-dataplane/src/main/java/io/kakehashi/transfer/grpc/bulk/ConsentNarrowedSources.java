package io.kakehashi.transfer.grpc.bulk;

import io.kakehashi.transfer.spi.BulkSource;

import io.kakehashi.policy.spi.ConsentFilter;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The provider's bulk sources of assets that hold personal data, narrowed by the {@link ConsentFilter} to the records
 * whose data subjects' consent covers the transfer: the source is read once, at the transfer's first start, into a
 * copy of its own (one file per transfer in the configured directory), and that copy is what the transfer sends and
 * resumes from — also after a restart, so a resumed transfer continues the same content. An asset without personal
 * data keeps its source as it is. A transfer's copy is deleted ({@link #forget(String)}) once the transfer has ended.
 * Thread-safe: a transfer's copy is made once, under a lock of that transfer, while other transfers start.
 */
public final class ConsentNarrowedSources {

    private static final String SUFFIX = ".narrowed";
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,127}");

    private final ConsentFilter filter;
    private final Path directory;
    private final ConcurrentHashMap<String, Object> making = new ConcurrentHashMap<>();

    public ConsentNarrowedSources(ConsentFilter filter, Path directory) {
        this.filter = filter;
        this.directory = directory;
    }

    /** Whether the asset's content must be narrowed. */
    public boolean appliesTo(String assetId) {
        return filter.appliesTo(assetId);
    }

    /** As {@link #sourceOf(String, String, String, BulkSource, String)}, its records read as the source's media type says. */
    public Result<BulkSource> sourceOf(String transferId, String agreementId, String assetId, BulkSource source) {
        return sourceOf(transferId, agreementId, assetId, source, source.contentType());
    }

    /**
     * The source a transfer sends: the asset's own, or its narrowed copy.
     *
     * @param format how its records are read: a media type or a file name ({@link ConsentFilter#narrow})
     * @return the source, or a failure saying why the asset's content may not be sent (from the consent filter)
     */
    public Result<BulkSource> sourceOf(String transferId, String agreementId, String assetId, BulkSource source, String format) {
        if (!filter.appliesTo(assetId)) {
            return Result.success(source);
        }
        // kept until the transfer is forgotten: a start racing another of the same transfer waits for its copy
        Result<BulkSource> result;
        synchronized (making.computeIfAbsent(transferId, id -> new Object())) {
            result = copied(transferId, agreementId, assetId, source, format);
        }
        if (result.failed()) {
            // no copy was made, so there is nothing to wait for
            making.remove(transferId);
        }
        return result;
    }

    private Result<BulkSource> copied(String transferId, String agreementId, String assetId, BulkSource source, String format) {
        var copy = copyOf(transferId);
        if (Files.isRegularFile(copy)) {
            return Result.success(new FileBulkSource(copy, source.contentType()));
        }
        try {
            Files.createDirectories(directory);
            var partial = Files.createTempFile(directory, "narrowing-", ".part");
            try {
                Result<ConsentFilter.Narrowed> narrowed;
                try (var in = source.openAt(0); var out = Files.newOutputStream(partial)) {
                    narrowed = filter.narrow(ConsentFilter.Use.transfer(agreementId, assetId, transferId), in, format, out);
                }
                if (narrowed.failed()) {
                    return Result.failure(narrowed.getFailureDetail());
                }
                move(partial, copy);
                return Result.success(new FileBulkSource(copy, source.contentType()));
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            return Result.failure("the personal-data source of transfer %s cannot be narrowed to its consented records: %s"
                    .formatted(transferId, e.getClass().getSimpleName()));
        }
    }

    /** Deletes a transfer's narrowed copy, if it has one. */
    public void forget(String transferId) {
        making.remove(transferId);
        try {
            Files.deleteIfExists(copyOf(transferId));
        } catch (IOException ignored) {
            // left for the operator: the copy holds only records the consumer was allowed to receive
        }
    }

    /** The transfers that have a narrowed copy (those whose id can name a file; see {@link #copyOf}). */
    public List<String> transfers() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (var files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(SUFFIX))
                    .map(name -> name.substring(0, name.length() - SUFFIX.length())).filter(id -> PLAIN_ID.matcher(id).matches()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    // EDC's flow ids (this connector's own UUIDs) name their file; any other id is named by its digest, so it never becomes a path
    private Path copyOf(String transferId) {
        if (PLAIN_ID.matcher(transferId).matches()) {
            return directory.resolve(transferId + SUFFIX);
        }
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(transferId.getBytes(StandardCharsets.UTF_8));
            return directory.resolve("_sha256-" + HexFormat.of().formatHex(digest) + SUFFIX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
