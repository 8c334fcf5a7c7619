package io.kakehashi.ai.spi;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The file behind a tabular asset, the only data a job on that asset sees, and — for an asset that holds personal
 * data — the column that names each record's data subject. With a subject field the output guard counts
 * {@code ai.minAggregation} in distinct data subjects, not rows. Immutable and thread-safe.
 *
 * @param file         the CSV or Parquet file, readable by the connector
 * @param format       how to read it
 * @param subjectField the column holding a record's data subject (the asset's
 *                     {@code https://w3id.org/kakehashi/consent/dataSubjectField}), empty for an asset without
 *                     personal data
 */
public record TabularAsset(Path file, Format format, Optional<String> subjectField) {

    public enum Format { CSV, PARQUET }

    public TabularAsset {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(subjectField, "subjectField");
        if (subjectField.isPresent() && subjectField.get().isBlank()) {
            throw new IllegalArgumentException("subjectField: a declared data-subject field names a column");
        }
    }

    /** An asset without personal data. */
    public TabularAsset(Path file, Format format) {
        this(file, format, Optional.empty());
    }

    /** The same asset read from another file (a narrowed copy), keeping its format and subject field. */
    public TabularAsset withFile(Path other) {
        return new TabularAsset(other, format, subjectField);
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
