package io.kakehashi.transfer.grpc.bulk;

import io.kakehashi.transfer.spi.BulkSource;

import io.kakehashi.policy.spi.ConsentFilter;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConsentNarrowedSourcesTest {

    private static final String CONTENT = "id,subject\n1,alice\n2,bob\n3,alice\n";

    @TempDir
    Path directory;
    private final List<ConsentFilter.Use> uses = new ArrayList<>();

    /** A filter for asset "personal" that keeps the header and alice's lines, or refuses agreement "no-purpose". */
    private final ConsentFilter filter = new ConsentFilter() {
        @Override
        public boolean appliesTo(String assetId) {
            return "personal".equals(assetId);
        }

        @Override
        public Result<Narrowed> narrow(Use use, InputStream content, String format, OutputStream out) throws IOException {
            uses.add(use);
            if ("no-purpose".equals(use.agreementId())) {
                return Result.failure("consent: agreement names no purpose");
            }
            var kept = 0;
            var lines = new String(content.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (var line : lines) {
                if (line.startsWith("id,") || line.endsWith("alice")) {
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    kept++;
                }
            }
            return Result.success(new Narrowed(kept - 1, lines.length - kept));
        }
    };

    private static BulkSource source(String content) {
        return new BulkSource() {
            @Override
            public long size() {
                return content.length();
            }

            @Override
            public String contentType() {
                return "text/csv";
            }

            @Override
            public InputStream openAt(long offset) {
                return new ByteArrayInputStream(content.substring((int) offset).getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    private static String read(BulkSource source, long offset) throws IOException {
        try (var in = source.openAt(offset)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void sourceOf_aPersonalAsset_shouldSendOnlyTheConsentedRecordsAndResumeFromTheSameCopy() throws IOException {
        var narrowed = new ConsentNarrowedSources(filter, directory).sourceOf("flow-1", "agreement-1", "personal", source(CONTENT));

        assertThat(narrowed.succeeded()).isTrue();
        assertThat(read(narrowed.getContent(), 0)).isEqualTo("id,subject\n1,alice\n3,alice\n");
        assertThat(narrowed.getContent().size()).isEqualTo("id,subject\n1,alice\n3,alice\n".length());
        assertThat(uses).singleElement().isEqualTo(ConsentFilter.Use.transfer("agreement-1", "personal", "flow-1"));

        // a restarted data plane resumes the same transfer from the copy, without narrowing (and recording) it again
        var again = new ConsentNarrowedSources(filter, directory).sourceOf("flow-1", "agreement-1", "personal", source(CONTENT));
        assertThat(read(again.getContent(), 11)).isEqualTo("1,alice\n3,alice\n");
        assertThat(uses).hasSize(1);
    }

    @Test
    void sourceOf_anAssetWithoutPersonalData_shouldSendItsOwnSource() throws IOException {
        var plain = source(CONTENT);

        assertThat(new ConsentNarrowedSources(filter, directory).sourceOf("flow-1", "agreement-1", "machine-data", plain).getContent()).isSameAs(plain);
        assertThat(uses).isEmpty();
    }

    @Test
    void sourceOf_whenTheFilterRefuses_shouldFailWithItsReasonAndKeepNoCopy() throws IOException {
        var refused = new ConsentNarrowedSources(filter, directory).sourceOf("flow-1", "no-purpose", "personal", source(CONTENT));

        assertThat(refused.getFailureDetail()).isEqualTo("consent: agreement names no purpose");
        try (var files = Files.list(directory)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void forget_shouldDeleteTheCopy() {
        var sources = new ConsentNarrowedSources(filter, directory);
        sources.sourceOf("flow-1", "agreement-1", "personal", source(CONTENT));
        assertThat(sources.transfers()).containsExactly("flow-1");

        sources.forget("flow-1");

        assertThat(sources.transfers()).isEmpty();
    }

    @Test
    void sourceOf_whenTheTransferIdIsNotAPlainId_shouldNotMakeItAPath() {
        var sources = new ConsentNarrowedSources(filter, directory);

        assertThat(sources.sourceOf("../../etc/passwd", "agreement-1", "personal", source(CONTENT)).succeeded()).isTrue();

        assertThat(directory.getParent().resolve("etc")).doesNotExist();
        assertThat(sources.transfers()).isEmpty();
    }
}
