package io.kakehashi.consent;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.edc.spi.result.Result;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Copies the records of tabular content whose data subject a selector admits, each record byte for byte as it was (so a
 * consumer receives the provider's own form, less the records left out). Two formats have records: CSV with a header
 * row (RFC 4180: quoted fields may hold commas, quotes and line breaks; the subject is the value in the named column)
 * and JSON Lines (one object per line; the subject is the named member, a string or a number). The selector decides
 * also on a record without a subject (it gets null). Stateless; thread-safe.
 */
public final class PersonalRecords {

    /** The formats that have records. */
    public enum Format { CSV, JSON_LINES }

    /** What a selector says about one subject: copy its records, or leave them out for a reason. */
    @FunctionalInterface
    public interface Selector {
        /** @param subjectId the subject, null when the record names none */
        ConsentRules.Verdict verdict(String subjectId);
    }

    private final ObjectMapper mapper;

    public PersonalRecords(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The format of a file's content: JSON Lines when its first non-blank character opens an object, else CSV. */
    public static Format sniff(java.nio.file.Path file) throws IOException {
        try (var in = new BufferedReader(new InputStreamReader(java.nio.file.Files.newInputStream(file), StandardCharsets.UTF_8))) {
            int c;
            while ((c = in.read()) != -1) {
                if (!Character.isWhitespace(c) && c != '\uFEFF') {
                    return c == '{' ? Format.JSON_LINES : Format.CSV;
                }
            }
            return Format.CSV;
        }
    }

    /** The format a media type or file name says, if it says one that has records. */
    public static Optional<Format> formatOf(String hint) {
        if (hint == null) {
            return Optional.empty();
        }
        var h = hint.toLowerCase(Locale.ROOT);
        if (h.contains("csv")) {
            return Optional.of(Format.CSV);
        }
        if (h.contains("ndjson") || h.contains("jsonl") || h.contains("json-lines") || h.contains("jsonlines") || h.contains("json-seq")) {
            return Optional.of(Format.JSON_LINES);
        }
        return Optional.empty();
    }

    /**
     * Copies the admitted records; the tally counts every record by its verdict.
     *
     * @return the tally, or a failure when the content lacks the subject field (a CSV header without the column)
     */
    public Result<Tally> copy(InputStream in, OutputStream out, Format format, String subjectField, Selector selector) throws IOException {
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        var writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        var tally = new Tally();
        var result = format == Format.CSV ? copyCsv(reader, writer, subjectField, selector, tally)
                : copyJsonLines(reader, writer, subjectField, selector, tally);
        writer.flush();
        return result;
    }

    private Result<Tally> copyCsv(BufferedReader reader, Writer writer, String field, Selector selector, Tally tally) throws IOException {
        var records = new CsvRecords(reader);
        var header = records.next();
        if (header == null) {
            return Result.success(tally);
        }
        var names = fields(header);
        var column = names.indexOf(field);
        if (column < 0) {
            return Result.failure("the content has no column '%s' (its columns: %s)".formatted(field, names));
        }
        writer.write(header);
        for (var record = records.next(); record != null; record = records.next()) {
            if (record.isBlank()) {
                continue;
            }
            var subject = field(record, column).trim();
            keep(record, subject.isEmpty() ? null : subject, writer, selector, tally);
        }
        return Result.success(tally);
    }

    private Result<Tally> copyJsonLines(BufferedReader reader, Writer writer, String field, Selector selector, Tally tally) throws IOException {
        for (var line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            String subject = null;
            try {
                var node = mapper.readTree(line).get(field);
                if (node != null && (node.isTextual() || node.isNumber()) && !node.asText().isBlank()) {
                    subject = node.asText().trim();
                }
            } catch (IOException e) {
                subject = null;
            }
            keep(line + "\n", subject, writer, selector, tally);
        }
        return Result.success(tally);
    }

    private static void keep(String record, String subject, Writer writer, Selector selector, Tally tally) throws IOException {
        var verdict = selector.verdict(subject);
        tally.count(verdict, subject);
        if (verdict == ConsentRules.Verdict.ADMITTED) {
            writer.write(record);
        }
    }

    /**
     * CSV records, each with its line break, read through a buffer of its own: a line break inside quotes belongs to the
     * record. Not thread-safe.
     */
    private static final class CsvRecords {
        private final Reader reader;
        private final char[] buffer = new char[1 << 16];
        private final StringBuilder record = new StringBuilder(256);
        private int position;
        private int limit;

        CsvRecords(Reader reader) {
            this.reader = reader;
        }

        /** The next record, or null at the end; the last one gets a line break if it had none, so records stay apart. */
        String next() throws IOException {
            record.setLength(0);
            var quoted = false;
            while (true) {
                if (position == limit) {
                    limit = Math.max(0, reader.read(buffer, 0, buffer.length));
                    position = 0;
                    if (limit == 0) {
                        return record.isEmpty() ? null : record.append('\n').toString();
                    }
                }
                var start = position;
                while (position < limit) {
                    var c = buffer[position++];
                    if (c == '"') {
                        quoted = !quoted;
                    } else if (c == '\n' && !quoted) {
                        return record.append(buffer, start, position - start).toString();
                    }
                }
                record.append(buffer, start, position - start);
            }
        }
    }

    /** The value in one column of a CSV record (quotes removed, doubled quotes undone); empty when the record is shorter. */
    static String field(String record, int column) {
        var start = 0;
        for (var index = 0; index < column; index++) {
            var quoted = false;
            var i = start;
            for (; i < record.length(); i++) {
                var c = record.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    break;
                }
            }
            if (i >= record.length()) {
                return "";
            }
            start = i + 1;
        }
        var quoted = false;
        var end = start;
        for (; end < record.length(); end++) {
            var c = record.charAt(end);
            if (c == '"') {
                quoted = !quoted;
            } else if ((c == ',' || c == '\n' || c == '\r') && !quoted) {
                break;
            }
        }
        var raw = record.substring(start, end);
        return raw.indexOf('"') < 0 ? raw : fields(raw).get(0);
    }

    /** The fields of one CSV record (quotes removed, doubled quotes undone). */
    static List<String> fields(String record) {
        var fields = new ArrayList<String>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < record.length(); i++) {
            var c = record.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < record.length() && record.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c != '\r' && c != '\n') {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    /** Records counted by verdict, and the subjects whose records were copied. Not thread-safe: one per copy. */
    public static final class Tally {
        private static final ConsentRules.Verdict[] VERDICTS = ConsentRules.Verdict.values();
        private final long[] counts = new long[VERDICTS.length];
        private final Set<String> delivered = new HashSet<>();

        void count(ConsentRules.Verdict verdict, String subject) {
            counts[verdict.ordinal()]++;
            if (verdict == ConsentRules.Verdict.ADMITTED && subject != null) {
                delivered.add(subject);
            }
        }

        public long count(ConsentRules.Verdict verdict) {
            return counts[verdict.ordinal()];
        }

        public long delivered() {
            return count(ConsentRules.Verdict.ADMITTED);
        }

        public long leftOut() {
            var sum = 0L;
            for (var verdict : VERDICTS) {
                if (verdict != ConsentRules.Verdict.ADMITTED) {
                    sum += counts[verdict.ordinal()];
                }
            }
            return sum;
        }

        /** The subjects whose records were copied, in order. */
        public Set<String> deliveredSubjects() {
            return Collections.unmodifiableSet(new TreeSet<>(delivered));
        }

        /** The records left out, by reason, in words: {@code 3 no consent, 1 expired}; "none" when none was. */
        public String leftOutInWords() {
            var parts = new ArrayList<String>();
            for (var verdict : VERDICTS) {
                if (verdict != ConsentRules.Verdict.ADMITTED && counts[verdict.ordinal()] > 0) {
                    parts.add(counts[verdict.ordinal()] + " " + verdict.words());
                }
            }
            return parts.isEmpty() ? "none" : String.join(", ", parts);
        }
    }
}
