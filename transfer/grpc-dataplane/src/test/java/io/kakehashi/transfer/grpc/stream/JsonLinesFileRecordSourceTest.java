package io.kakehashi.transfer.grpc.stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonLinesFileRecordSourceTest {

    private static final Duration NO_WAIT = Duration.ZERO;
    private static final Duration SHORT = Duration.ofMillis(50);

    @TempDir
    Path directory;
    private final List<JsonLinesFileRecordSource> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(JsonLinesFileRecordSource::close);
    }

    private Path file() {
        return directory.resolve("telemetry.jsonl");
    }

    private RecordFilePositions positions() {
        return new RecordFilePositions(directory.resolve("state").resolve("t1.positions"));
    }

    private JsonLinesFileRecordSource open() {
        var result = JsonLinesFileRecordSource.open(file(), () -> FileChannel.open(file(), StandardOpenOption.READ), positions(),
                64, Duration.ofMillis(5));
        assertThat(result.succeeded()).as(result.getFailureMessages().toString()).isTrue();
        opened.add(result.getContent());
        return result.getContent();
    }

    private void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String next(JsonLinesFileRecordSource source, Duration wait) throws InterruptedException {
        var payload = source.next(wait);
        return payload == null ? null : new String(payload, StandardCharsets.UTF_8);
    }

    private static List<String> drain(JsonLinesFileRecordSource source) throws InterruptedException {
        var lines = new ArrayList<String>();
        for (var line = next(source, SHORT); line != null; line = next(source, SHORT)) {
            lines.add(line);
        }
        return lines;
    }

    @Nested
    class Following {

        @Test
        void next_whenFileGrows_shouldDeliverEachNewLineOnceInOrder() throws Exception {
            append(file(), "{\"n\":0}\n{\"n\":1}\n");
            var source = open();

            assertThat(drain(source)).containsExactly("{\"n\":0}", "{\"n\":1}");
            append(file(), "{\"n\":2}\n{\"n\":3}\n");

            assertThat(drain(source)).containsExactly("{\"n\":2}", "{\"n\":3}");
            assertThat(source.nextSequence()).isEqualTo(4);
        }

        @Test
        void next_whenLastLineIsPartial_shouldDeliverItOnlyOnceItsLineFeedCame() throws Exception {
            append(file(), "{\"n\":0}\n{\"n\":");
            var source = open();

            assertThat(drain(source)).containsExactly("{\"n\":0}");
            append(file(), "1}");
            assertThat(next(source, SHORT)).isNull();
            append(file(), "\n");

            assertThat(next(source, SHORT)).isEqualTo("{\"n\":1}");
        }

        @Test
        void next_whenBlankLinesAndCarriageReturns_shouldSkipBlanksAndNumberOnlyRecords() throws Exception {
            append(file(), "{\"n\":0}\r\n\n   \n{\"n\":1}\n");
            var source = open();

            assertThat(drain(source)).containsExactly("{\"n\":0}", "{\"n\":1}");
            assertThat(source.nextSequence()).isEqualTo(2);
        }

        @Test
        void next_whenNothingNew_shouldWaitAtMostTheGivenTimeAndAnswerNull() throws Exception {
            append(file(), "");
            var source = open();

            assertThat(source.next(NO_WAIT)).isNull();
            assertThat(source.next(SHORT)).isNull();
        }

        @Test
        void next_whenLineLongerThanTheLimit_shouldFailNamingIt() throws Exception {
            append(file(), "x".repeat(100) + "\n");
            var source = open();

            assertThatThrownBy(() -> source.next(SHORT)).isInstanceOf(IllegalStateException.class).hasMessageContaining("longer than 64 bytes");
        }
    }

    @Nested
    class RotationAndTruncation {

        @Test
        void next_whenFileRotated_shouldFinishTheOldFileThenFollowTheNewOneWithoutGap() throws Exception {
            append(file(), "a0\na1\n");
            var source = open();
            assertThat(next(source, SHORT)).isEqualTo("a0");

            var rotated = directory.resolve("telemetry.jsonl.1");
            Files.move(file(), rotated);
            // the producer still writes into the renamed file before it reopens the name
            append(rotated, "a2\npartial-without-line-feed");
            append(file(), "b0\nb1\n");

            assertThat(drain(source)).containsExactly("a1", "a2", "b0", "b1");
            assertThat(source.nextSequence()).isEqualTo(5);
        }

        @Test
        void next_whenNameIsEmptyBetweenRotations_shouldWaitForTheNewFile() throws Exception {
            append(file(), "a0\n");
            var source = open();
            assertThat(drain(source)).containsExactly("a0");

            Files.move(file(), directory.resolve("telemetry.jsonl.1"));
            assertThat(next(source, SHORT)).isNull();
            append(file(), "b0\n");

            assertThat(drain(source)).containsExactly("b0");
            assertThat(source.nextSequence()).isEqualTo(2);
        }

        @Test
        void next_whenFileTruncated_shouldFollowItFromItsStart() throws Exception {
            append(file(), "a0\na1\na2\n");
            var source = open();
            assertThat(drain(source)).hasSize(3);

            Files.writeString(file(), "b0\n", StandardOpenOption.TRUNCATE_EXISTING);

            assertThat(drain(source)).containsExactly("b0");
            assertThat(source.nextSequence()).isEqualTo(4);
        }
    }

    @Nested
    class Positions {

        @Test
        void open_whenOpenedAgainForTheSameTransfer_shouldContinueWithoutRedelivery() throws Exception {
            append(file(), "r0\nr1\nr2\nr3\n");
            var first = open();
            assertThat(next(first, SHORT)).isEqualTo("r0");
            assertThat(next(first, SHORT)).isEqualTo("r1");
            first.close();

            var second = open();

            assertThat(second.nextSequence()).isEqualTo(2);
            assertThat(drain(second)).containsExactly("r2", "r3");
        }

        @Test
        void seek_afterAStopWithoutClose_shouldReachTheRecordTheConsumerAsksFor() throws Exception {
            append(file(), "r0\nr1\nr2\nr3\nr4\n");
            var crashed = open();
            drain(crashed);
            opened.remove(crashed);
            // no close: the last saved checkpoint is the one made at the start

            var restarted = open();
            assertThat(restarted.nextSequence()).isZero();
            assertThat(restarted.seek(3).succeeded()).isTrue();

            assertThat(drain(restarted)).containsExactly("r3", "r4");
        }

        @Test
        void seek_whenGoingBack_shouldServeTheSameRecordsAgainWithTheirSequences() throws Exception {
            append(file(), "r0\nr1\nr2\nr3\n");
            var source = open();
            drain(source);

            assertThat(source.seek(1).succeeded()).isTrue();

            assertThat(source.nextSequence()).isEqualTo(1);
            assertThat(drain(source)).containsExactly("r1", "r2", "r3");
        }

        @Test
        void seek_whenAheadOfTheFile_shouldFailAndKeepThePosition() throws Exception {
            append(file(), "r0\nr1\n");
            var source = open();
            assertThat(next(source, SHORT)).isEqualTo("r0");

            var moved = source.seek(7);

            assertThat(moved.failed()).isTrue();
            assertThat(moved.getFailureDetail()).contains("not in the record file");
            assertThat(source.nextSequence()).isEqualTo(1);
            assertThat(drain(source)).containsExactly("r1");
        }

        @Test
        void seek_whenRecordWasInARotatedFile_shouldFailClearly() throws Exception {
            append(file(), "a0\na1\n");
            var source = open();
            drain(source);
            Files.move(file(), directory.resolve("old.jsonl"));
            append(file(), "b0\n");
            drain(source);

            var moved = source.seek(0);

            assertThat(moved.failed()).isTrue();
            assertThat(moved.getFailureDetail()).contains("no longer in the record file");
        }

        @Test
        void seek_whenRecordWasCutByATruncation_shouldFailInsteadOfServingOtherLines() throws Exception {
            append(file(), "a0\na1\na2\n");
            var source = open();
            drain(source);
            Files.writeString(file(), "b0\n", StandardOpenOption.TRUNCATE_EXISTING);
            assertThat(drain(source)).containsExactly("b0");

            var moved = source.seek(1);

            assertThat(moved.failed()).isTrue();
            assertThat(source.seek(3).succeeded()).isTrue();
            assertThat(drain(source)).containsExactly("b0");
        }

        @Test
        void open_whenFileWasReplacedWhileNotRunning_shouldRefuseToRenumber() throws Exception {
            append(file(), "a0\n");
            var first = open();
            drain(first);
            first.close();
            Files.delete(file());
            append(file(), "b0\n");

            var reopened = JsonLinesFileRecordSource.open(file(), () -> FileChannel.open(file()), positions(), 64, Duration.ofMillis(5));

            assertThat(reopened.failed()).isTrue();
            assertThat(reopened.getFailureDetail()).contains("replaced or truncated");
        }

        @Test
        void open_whenFileMissing_shouldFailNamingIt() {
            var missing = JsonLinesFileRecordSource.open(file(), () -> FileChannel.open(file()), positions(), 64, Duration.ofMillis(5));

            assertThat(missing.failed()).isTrue();
            assertThat(missing.getFailureDetail()).contains("telemetry.jsonl does not exist");
        }
    }
}
