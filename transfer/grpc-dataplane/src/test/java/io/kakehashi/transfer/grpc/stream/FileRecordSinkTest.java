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
}
