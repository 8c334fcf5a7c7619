package io.kakehashi.consent;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static io.kakehashi.consent.ConsentTestFixtures.MAPPER;
import static org.assertj.core.api.Assertions.assertThat;

class PersonalRecordsTest {

    private static String copy(String content, String field, String admitted) throws IOException {
        var out = new ByteArrayOutputStream();
        var result = new PersonalRecords(MAPPER).copy(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), out,
                PersonalRecords.Format.CSV, field, subject -> admitted.equals(subject) ? ConsentRules.Verdict.ADMITTED : ConsentRules.Verdict.NO_CONSENT);
        assertThat(result.succeeded()).isTrue();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void field_shouldReadQuotedCommasQuotesAndShortRecords() {
        assertThat(PersonalRecords.field("a,\"b, c\",d\n", 1)).isEqualTo("b, c");
        assertThat(PersonalRecords.field("\"x \"\"y\"\"\",z\r\n", 0)).isEqualTo("x \"y\"");
        assertThat(PersonalRecords.field("a,b\r\n", 1)).isEqualTo("b");
        assertThat(PersonalRecords.field("a\n", 3)).isEmpty();
    }

    @Test
    void copy_shouldKeepRecordsByteForByteWithTheirLineBreaks() throws IOException {
        var content = "id,who\r\n1,\"alice\"\r\n2,bob\r\n3,\"al\nice\"\r\n4,alice";

        assertThat(copy(content, "who", "alice")).isEqualTo("id,who\r\n1,\"alice\"\r\n4,alice\n");
    }

    @Test
    void copy_whenASubjectIsQuotedWithSpaces_shouldReadItTrimmed() throws IOException {
        assertThat(copy("id,who\n1, \"alice\" \n2,\" alice \"\n3,alicia\n", "who", "alice")).isEqualTo("id,who\n1, \"alice\" \n2,\" alice \"\n");
    }

    @Test
    void formatOf_shouldReadMediaTypesAndFileNames() {
        assertThat(PersonalRecords.formatOf("text/csv; charset=utf-8")).contains(PersonalRecords.Format.CSV);
        assertThat(PersonalRecords.formatOf("http://127.0.0.1:9000/receipts.csv")).contains(PersonalRecords.Format.CSV);
        assertThat(PersonalRecords.formatOf("application/x-ndjson")).contains(PersonalRecords.Format.JSON_LINES);
        assertThat(PersonalRecords.formatOf("probe.jsonl")).contains(PersonalRecords.Format.JSON_LINES);
        assertThat(PersonalRecords.formatOf("application/octet-stream")).isEqualTo(Optional.empty());
        assertThat(PersonalRecords.formatOf(null)).isEmpty();
    }
}
