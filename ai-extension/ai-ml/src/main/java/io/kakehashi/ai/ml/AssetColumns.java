package io.kakehashi.ai.ml;

import io.kakehashi.ai.spi.TabularAsset;
import org.eclipse.edc.spi.result.Result;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Reads the columns a model job names — numeric features and a label — from its asset (CSV or Parquet), with the
 * engine the SQL jobs use. Column names are quoted identifiers, never SQL; rows where a feature or the label is
 * missing are left out. When the asset holds personal data, each row's data subject is read along (from the subject
 * column the asset names), so that the output guard counts distinct subjects instead of rows ({@link #coverage}).
 * Immutable once read; thread-safe: each read opens its own in-memory database.
 *
 * @param features     one row of feature values per example
 * @param labels       the label of each example, as text
 * @param subjectField the asset's data-subject column, null when it names none
 * @param subjects     each example's data subject (null where the row has none), null when the asset names no subject
 *                     column
 */
public record AssetColumns(double[][] features, String[] labels, String subjectField, String[] subjects) {

    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}_ .\\-]{1,128}");

    /** Columns of an asset without personal data. */
    public AssetColumns(double[][] features, String[] labels) {
        this(features, labels, null, null);
    }

    public int rows() {
        return labels.length;
    }

    /** Whether the guard counts data subjects (the asset holds personal data) rather than rows. */
    public boolean countsSubjects() {
        return subjects != null;
    }

    /** What the output guard counts over all rows: distinct data subjects over personal data, rows otherwise. */
    public long coverage() {
        return subjects == null ? rows() : Arrays.stream(subjects).filter(Objects::nonNull).distinct().count();
    }

    /** What the output guard counts over the given rows: distinct data subjects over personal data, rows otherwise. */
    public long coverage(Collection<Integer> rows) {
        if (subjects == null) {
            return rows.size();
        }
        return rows.stream().map(row -> subjects[row]).filter(Objects::nonNull).distinct().count();
    }

    /** A coverage in words, for a refusal: {@code 12 rows} or {@code 3 data subjects (passenger_id)}. */
    public String inWords(long coverage) {
        if (subjects == null) {
            return coverage + " rows";
        }
        return "%d data %s (%s)".formatted(coverage, coverage == 1 ? "subject" : "subjects", subjectField);
    }

    /** The job's comma-separated column list, each name checked. */
    public static Result<List<String>> names(String parameter, String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return Result.failure("%s: name at least one column".formatted(parameter));
        }
        var names = Arrays.stream(commaSeparated.split(",")).map(String::strip).toList();
        for (var name : names) {
            if (!NAME.matcher(name).matches()) {
                return Result.failure("%s: '%s' is not a column name".formatted(parameter, name));
            }
        }
        return Result.success(names);
    }

    /**
     * Reads the features and, as text, the label — or any other column a job carries along with each row (a grouping
     * column, a row key). With a null {@code label} only the features are read and every label is null.
     */
    public static Result<AssetColumns> read(TabularAsset asset, List<String> features, String label, long memoryLimitBytes) {
        var subjectField = asset.subjectField().orElse(null);
        var select = new StringBuilder("SELECT ");
        for (var feature : features) {
            select.append("CAST(").append(quote(feature)).append(" AS DOUBLE), ");
        }
        select.append(label == null ? "CAST(NULL AS VARCHAR)" : "CAST(" + quote(label) + " AS VARCHAR)");
        if (subjectField != null) {
            select.append(", CAST(").append(quote(subjectField)).append(" AS VARCHAR)");
        }
        select.append(" FROM ").append(reader(asset)).append(" WHERE ");
        for (var feature : features) {
            select.append(quote(feature)).append(" IS NOT NULL AND ");
        }
        select.append(label == null ? "true" : quote(label) + " IS NOT NULL");
        var settings = new Properties();
        settings.setProperty("memory_limit", Math.max(1, memoryLimitBytes / 1024) + "KiB");
        settings.setProperty("autoinstall_known_extensions", "false");
        settings.setProperty("autoload_known_extensions", "false");
        try (var connection = DriverManager.getConnection("jdbc:duckdb:", settings);
             var statement = connection.createStatement();
             var result = statement.executeQuery(select.toString())) {
            var rows = new ArrayList<double[]>();
            var labels = new ArrayList<String>();
            var subjects = new ArrayList<String>();
            while (result.next()) {
                var row = new double[features.size()];
                for (var i = 0; i < row.length; i++) {
                    row[i] = result.getDouble(i + 1);
                }
                rows.add(row);
                labels.add(result.getString(features.size() + 1));
                if (subjectField != null) {
                    var subject = result.getString(features.size() + 2);
                    // a row without a subject is no one's: it counts towards no subject
                    subjects.add(subject == null || subject.isBlank() ? null : subject);
                }
            }
            return Result.success(new AssetColumns(rows.toArray(double[][]::new), labels.toArray(String[]::new), subjectField,
                    subjectField == null ? null : subjects.toArray(String[]::new)));
        } catch (SQLException e) {
            var message = String.valueOf(e.getMessage());
            var missing = java.util.regex.Pattern.compile("Referenced column \"?([^\" ]+)\"? not found").matcher(message);
            if (missing.find()) {
                return Result.failure("the asset has no column '%s'".formatted(missing.group(1)));
            }
            if (message.contains("Conversion Error")) {
                return Result.failure("a feature column of the asset is not numeric");
            }
            return Result.failure("the asset cannot be read for this job");
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String reader(TabularAsset asset) {
        var path = "'" + asset.file().toAbsolutePath().toString().replace("'", "''") + "'";
        return switch (asset.format()) {
            // every column as text, so a label reads as written (yes/no would otherwise become a boolean)
            case CSV -> "read_csv(" + path + ", header = true, all_varchar = true)";
            case PARQUET -> "read_parquet(" + path + ")";
        };
    }
}
