package io.kakehashi.consent;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.kakehashi.consent.ConsentTestFixtures.MAPPER;
import static org.assertj.core.api.Assertions.assertThat;

class FileConsentStoreTest extends ConsentStoreTestBase {

    @TempDir
    Path directory;
    private FileConsentStore store;

    @BeforeEach
    void open() {
        store = new FileConsentStore(directory, MAPPER);
    }

    @Override
    protected ConsentStore store() {
        return store;
    }

    @Override
    protected ConsentStore reopened() {
        return new FileConsentStore(directory, MAPPER);
    }

    @Test
    void reopen_whenTheLastLineIsTorn_shouldKeepWhatCameBefore() throws IOException {
        store.save(ConsentTestFixtures.consent("subject-1", "any", "analytics"));
        Files.writeString(directory.resolve(FileConsentStore.FILE_NAME), "{\"type\":\"consent\",\"id\":\"c", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        assertThat(reopened().findBySubject("subject-1")).hasSize(1);
    }
}
