package io.kakehashi.ai.spi;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The file behind a tabular asset, the only data a job on that asset sees. Immutable and thread-safe.
 *
 * @param file   the CSV or Parquet file, readable by the connector
 * @param format how to read it
 */
public record TabularAsset(Path file, Format format) {

    public enum Format { CSV, PARQUET }

    public TabularAsset {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
    }

    /** The format a file name says ({@code .csv}, {@code .parquet}), if it says one. */
    public static Optional<Format> formatOf(Path file) {
        var name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return Optional.of(Format.CSV);
        }
        if (name.endsWith(".parquet")) {
            return Optional.of(Format.PARQUET);
        }
        return Optional.empty();
    }
}
