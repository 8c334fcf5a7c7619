package io.kakehashi.deletion;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class FileDeletionStoreTest {

    @TempDir
    Path dir;

    private static DeletionRecord record(String agreementId, DeletionRecord.Delivery delivery) {
        var at = Instant.parse("2026-12-31T00:00:00Z");
        return new DeletionRecord(DeletionRecord.Role.CONSUMER, agreementId, "shared-" + agreementId, "did:web:p", "asset", "jws", "f".repeat(64), at, at,
                delivery, null);
    }

    @Test
    void find_whenReopened_shouldGiveTheLatestRecordPerAgreement() throws IOException {
        var store = new FileDeletionStore(dir, new ObjectMapper());
        store.save(record("a-1", DeletionRecord.Delivery.PENDING));
        store.save(record("a-2", DeletionRecord.Delivery.PENDING));
        store.save(record("a-1", DeletionRecord.Delivery.CONFIRMED));
        // a crash in the middle of a line
        Files.writeString(dir.resolve(FileDeletionStore.FILE_NAME), "{\"role\":\"CONS", StandardOpenOption.APPEND);

        var reopened = new FileDeletionStore(dir, new ObjectMapper());

        assertThat(reopened.find(DeletionRecord.Role.CONSUMER, "a-1")).contains(record("a-1", DeletionRecord.Delivery.CONFIRMED));
        assertThat(reopened.find(DeletionRecord.Role.PROVIDER, "a-1")).isEmpty();
        assertThat(reopened.all()).extracting(DeletionRecord::agreementId).containsExactly("a-1", "a-2");
    }
}
