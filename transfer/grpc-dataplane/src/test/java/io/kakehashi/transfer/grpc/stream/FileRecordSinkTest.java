package io.kakehashi.transfer.grpc.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FileRecordSinkTest {

    @Test
    void flush_shouldWriteTheBatchAsJsonLines(@TempDir Path dir) throws Exception {
        var file = dir.resolve("in/records.jsonl");
        try (var sink = new FileRecordSink(file)) {
            sink.accept(0, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            sink.accept(1, "{\"a\":2}".getBytes(StandardCharsets.UTF_8));
            sink.flush();
            assertThat(Files.readString(file)).isEqualTo("{\"a\":1}\n{\"a\":2}\n");
            assertThat(sink.nextSequence()).isEqualTo(2);

            sink.accept(2, "{\"a\":3}".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.readAllLines(file)).as("closing writes what was kept").hasSize(3);
    }

    @Test
    void lazySink_shouldCreateTheFileOnlyWithTheFirstRecord(@TempDir Path dir) throws Exception {
        var file = dir.resolve("records.jsonl");
        try (var sink = new LazyFileRecordSink(file)) {
            sink.flush();
            assertThat(file).doesNotExist();
            sink.accept(0, "x".getBytes(StandardCharsets.UTF_8));
            sink.flush();
            assertThat(Files.readString(file)).isEqualTo("x\n");
        }
    }

    @Test
    void reopen_afterTheConsumerWasKilledMidBatch_shouldCutTheTornBatchAndContinueAtTheRecordedSequence(@TempDir Path dir) throws Exception {
        var file = dir.resolve("in/records.jsonl");
        var killed = new FileRecordSink(file);
        for (var i = 0; i < 10; i++) {
            killed.accept(i, ("record-" + i).getBytes(StandardCharsets.UTF_8));
        }
        killed.flush();
        // the process dies while the next batch is being written: half a line reaches the file, nothing is closed
        killed.accept(10, "record-10".getBytes(StandardCharsets.UTF_8));
        Files.writeString(file, "record-10\nrec", java.nio.file.StandardOpenOption.APPEND);

        try (var reopened = new FileRecordSink(file)) {
            assertThat(reopened.nextSequence()).isEqualTo(10);
            for (var i = 10; i < 15; i++) {
                reopened.accept(i, ("record-" + i).getBytes(StandardCharsets.UTF_8));
            }
        }

        var lines = Files.readAllLines(file);
        assertThat(lines).hasSize(15);
        for (var i = 0; i < 15; i++) {
            assertThat(lines.get(i)).isEqualTo("record-" + i);
        }
    }

    @Test
    void lazySink_reopenedForItsTransfer_shouldContinueWhileAnotherTransferStartsAfresh(@TempDir Path dir) throws Exception {
        var file = dir.resolve("records.jsonl");
        var first = new LazyFileRecordSink(file, "t1");
        first.accept(0, "a".getBytes(StandardCharsets.UTF_8));
        first.accept(1, "b".getBytes(StandardCharsets.UTF_8));
        first.flush();

        var afterRestart = new LazyFileRecordSink(file, "t1");
        assertThat(afterRestart.nextSequence()).isEqualTo(2);
        afterRestart.accept(2, "c".getBytes(StandardCharsets.UTF_8));
        afterRestart.flush();
        assertThat(Files.readString(file)).isEqualTo("a\nb\nc\n");

        var other = new LazyFileRecordSink(file, "t2");
        assertThat(other.nextSequence()).isZero();
        other.accept(0, "z".getBytes(StandardCharsets.UTF_8));
        other.close();
        assertThat(Files.readString(file)).isEqualTo("z\n");

        FileRecordSink.forget(file);
        assertThat(FileRecordSink.positionFileOf(file)).doesNotExist();
        assertThat(file).exists();
    }
}
