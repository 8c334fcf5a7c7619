package io.kakehashi.transfer.grpc.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RecordFilesTest {

    @TempDir
    Path root;

    private RecordFiles files() throws IOException {
        return new RecordFiles(Files.createDirectories(root.resolve("served")), root.resolve("state"), Duration.ofMillis(5),
                "kakehashi.transfer.stream.directory");
    }

    @Test
    void resolve_whenRelativeOrAbsoluteInside_shouldAnswerThePath() throws IOException {
        var files = files();

        assertThat(files.resolve("line-1/telemetry.jsonl").getContent()).isEqualTo(root.resolve("served/line-1/telemetry.jsonl"));
        assertThat(files.resolve(root.resolve("served/t.jsonl").toString()).getContent()).isEqualTo(root.resolve("served/t.jsonl"));
    }

    @Test
    void resolve_whenOutsideTheDirectory_shouldRefuseNamingTheSetting() throws IOException {
        var files = files();

        for (var name : new String[]{ "../secret.jsonl", root.resolve("other.jsonl").toString(), "/etc/passwd", "a/../../x", "." }) {
            var resolved = files.resolve(name);
            assertThat(resolved.failed()).as(name).isTrue();
            assertThat(resolved.getFailureDetail()).as(name).contains("outside").contains("kakehashi.transfer.stream.directory");
        }
    }

    @Test
    void resolve_whenHidden_shouldRefuse() throws IOException {
        var resolved = files().resolve(".positions/x.jsonl");

        assertThat(resolved.failed()).isTrue();
        assertThat(resolved.getFailureDetail()).contains("hidden");
    }

    @Test
    void resolve_whenNoDirectoryConfigured_shouldRefuseNamingTheSetting() {
        var resolved = new RecordFiles(null, root, Duration.ofMillis(5), "kakehashi.transfer.stream.directory").resolve("t.jsonl");

        assertThat(resolved.failed()).isTrue();
        assertThat(resolved.getFailureDetail()).contains("serves no record files").contains("kakehashi.transfer.stream.directory");
    }

    @Test
    void open_whenFileMissing_shouldRefuseNamingIt() throws IOException {
        var opened = files().open("t1", "missing.jsonl");

        assertThat(opened.failed()).isTrue();
        assertThat(opened.getFailureDetail()).contains("'missing.jsonl' does not exist");
    }

    @Test
    void open_whenLinkPointsOutside_shouldRefuse() throws IOException {
        var files = files();
        var outside = Files.writeString(root.resolve("outside.jsonl"), "{}\n");
        Files.createSymbolicLink(root.resolve("served/link.jsonl"), outside);

        var opened = files.open("t1", "link.jsonl");

        assertThat(opened.failed()).isTrue();
        assertThat(opened.getFailureDetail()).contains("links outside");
    }

    @Test
    void open_whenInside_shouldFollowTheFileAndForgetKeepsNothing() throws Exception {
        var files = files();
        Files.writeString(root.resolve("served/t.jsonl"), "{\"n\":0}\n");

        var source = files.open("t1", "t.jsonl").getContent();
        assertThat(new String(source.next(Duration.ofMillis(100)), StandardCharsets.UTF_8)).isEqualTo("{\"n\":0}");
        source.close();
        assertThat(Files.list(root.resolve("state"))).hasSize(1);
        files.forget("t1");

        assertThat(Files.list(root.resolve("state"))).isEmpty();
    }
}
