package io.kakehashi.catalog.core;

import org.apache.jena.query.Dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Compacts a TDB2 catalog once it has grown by a given number of bytes since the last compaction (or since it was
 * opened). TDB2 writes copy-on-write, so every write transaction adds blocks — about 0.6 MB for one asset's
 * metadata — and a connector publishing steadily would fill its disk between time-based compactions. Growth is
 * measured as the size of the database directory's files. Not thread-safe: call {@link #compactIfGrown()} from one
 * thread (a scheduler); compaction itself runs alongside readers and writers.
 */
public final class Tdb2Compaction {

    private final Dataset dataset;
    private final Path directory;
    private final long growthBytes;
    private long baseline;

    /**
     * @param directory   the TDB2 directory the dataset was opened from
     * @param growthBytes how much growth triggers a compaction
     */
    public Tdb2Compaction(Dataset dataset, Path directory, long growthBytes) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.directory = Objects.requireNonNull(directory, "directory");
        if (growthBytes < 1) {
            throw new IllegalArgumentException("the growth that triggers a compaction must be positive, was " + growthBytes);
        }
        this.growthBytes = growthBytes;
        this.baseline = size();
    }

    /**
     * Compacts if the database grew by the threshold since the last compaction.
     *
     * @return {@code true} if it compacted
     */
    public boolean compactIfGrown() {
        if (size() - baseline < growthBytes) {
            return false;
        }
        CatalogDatasets.compact(dataset);
        baseline = size();
        return true;
    }

    /** The bytes in the database directory's files now. */
    public long size() {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(Tdb2Compaction::length).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure the catalog directory " + directory, e);
        }
    }

    private static long length(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            // a file of the old generation deleted by a compaction while we walked
            return 0;
        }
    }
}
