package io.kakehashi.catalog.core;

import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.tdb2.DatabaseMgr;
import org.apache.jena.tdb2.TDB2Factory;
import org.apache.jena.tdb2.sys.TDBInternal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the catalog's Jena dataset lives: TDB2 in a local directory (the embedded default, which survives a
 * restart) or memory (tests, benchmarks). Both are transactional; every access in this module goes through
 * {@code Txn.executeRead/executeWrite}. Stateless; thread-safe.
 */
public final class CatalogDatasets {

    private CatalogDatasets() {
    }

    /** A transactional in-memory dataset, empty; gone when the JVM ends. */
    public static Dataset inMemory() {
        return DatasetFactory.createTxnMem();
    }

    /**
     * The TDB2 dataset in {@code directory}, created (with the directory) if it does not exist yet. Only one JVM may
     * open a TDB2 directory at a time; TDB2 refuses a second process with a lock error.
     *
     * @throws UncheckedIOException if the directory cannot be created
     */
    public static Dataset tdb2(Path directory) {
        Objects.requireNonNull(directory, "directory");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the catalog directory " + directory, e);
        }
        return TDB2Factory.connectDataset(directory.toAbsolutePath().toString());
    }

    /**
     * Compacts a TDB2 dataset and deletes the old generation. TDB2 writes copy-on-write, so every write transaction
     * adds blocks (several hundred kB for one asset's metadata) until a compaction; it runs while readers and
     * writers continue. Does nothing for an in-memory dataset.
     */
    public static void compact(Dataset dataset) {
        if (TDB2Factory.isTDB2(dataset)) {
            DatabaseMgr.compact(dataset.asDatasetGraph(), true);
        }
    }

    /**
     * Releases a dataset: a TDB2 one is flushed, closed and dropped from TDB2's per-JVM cache, so that the next
     * {@link #tdb2(Path)} of the same directory reads it from disk as a restarted connector would.
     */
    public static void release(Dataset dataset) {
        if (TDB2Factory.isTDB2(dataset)) {
            TDBInternal.expel(dataset.asDatasetGraph());
        } else {
            dataset.close();
        }
    }
}
