package io.kakehashi.ai.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

class FileModelRunLedgerTest extends ModelRunLedgerTestBase {

    @TempDir
    Path dir;

    @Override
    protected ModelRunLedger open() {
        return new FileModelRunLedger(this::home, ModelAssetsTestFixtures.mapper());
    }

    // one process owns the files
    @Override
    protected ModelRunLedger replica() {
        return store();
    }

    private Path home(String agreement) {
        try {
            return Files.createDirectories(dir.resolve(agreement));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void runs_whenTheLastLineIsTorn_shouldCountTheRunsBeforeIt() throws IOException {
        store().admit("agreement-1", soFar -> underLimit("agreement-1", soFar, 10));
        Files.writeString(home("agreement-1").resolve(FileModelRunLedger.FILE), "{\"localAgreementId\":\"agr", StandardOpenOption.APPEND);

        assertThat(open().admitted("agreement-1")).isEqualTo(1);
    }
}
