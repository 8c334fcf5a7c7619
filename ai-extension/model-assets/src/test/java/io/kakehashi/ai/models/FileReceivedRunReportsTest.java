package io.kakehashi.ai.models;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class FileReceivedRunReportsTest extends ReceivedRunReportsTestBase {

    @TempDir
    Path dir;

    @Override
    protected ReceivedRunReports open() {
        return new FileReceivedRunReports(dir.resolve("run-reports.jsonl"), ModelAssetsTestFixtures.mapper());
    }

    // one process owns the file
    @Override
    protected ReceivedRunReports replica() {
        return store();
    }
}
