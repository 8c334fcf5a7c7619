package io.kakehashi.deletion;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

class FileDeletionStoreTest extends DeletionStoreTestBase {

    @TempDir
    Path dir;

    @Override
    protected DeletionStore open() {
        return new FileDeletionStore(dir, new ObjectMapper());
    }

    // one process owns the file
    @Override
    protected DeletionStore replica() {
        return store();
    }

    @Test
    void find_whenReopenedAfterATornLine_shouldGiveTheLatestRecordPerAgreement() throws IOException {
        store().save(record(DeletionRecord.Role.CONSUMER, "a-1", "a", DeletionRecord.Delivery.PENDING));
        store().save(record(DeletionRecord.Role.CONSUMER, "a-2", "b", DeletionRecord.Delivery.PENDING));
        store().save(record(DeletionRecord.Role.CONSUMER, "a-1", "a", DeletionRecord.Delivery.CONFIRMED));
        // a crash in the middle of a line
        Files.writeString(dir.resolve(FileDeletionStore.FILE_NAME), "{\"role\":\"CONS", StandardOpenOption.APPEND);

        var reopened = open();

        assertThat(reopened.find(DeletionRecord.Role.CONSUMER, "a-1")).contains(record(DeletionRecord.Role.CONSUMER, "a-1", "a", DeletionRecord.Delivery.CONFIRMED));
        assertThat(reopened.all()).extracting(DeletionRecord::agreementId).containsExactly("a-1", "a-2");
    }
}
