package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.core.outbox.FileStatementOutbox;
import io.kakehashi.policy.decisionlog.FileCheckpointStore;
import io.kakehashi.policy.decisionlog.FileDecisionLogStore;
import org.eclipse.edc.junit.annotations.ComponentTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * {@link ReceiptIssuerCrashTestBase} on the files of a connector without a database: {@code decisions.jsonl},
 * {@code checkpoints.jsonl} and {@code outbox.jsonl}, reopened from disk by each run.
 */
@ComponentTest
class ReceiptIssuerCrashTest extends ReceiptIssuerCrashTestBase {

    @TempDir
    Path directory;

    @Override
    Stores open() {
        var log = FileDecisionLogStore.open(directory.resolve("decisions.jsonl"), monitor);
        var checkpoints = FileCheckpointStore.open(directory.resolve("checkpoints.jsonl"), monitor);
        var outbox = FileStatementOutbox.open(directory.resolve("outbox.jsonl"), monitor);
        return new Stores(log, checkpoints, outbox, () -> {
            outbox.close();
            checkpoints.close();
            log.close();
        });
    }
}
