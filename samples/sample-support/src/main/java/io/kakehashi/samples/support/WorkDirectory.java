package io.kakehashi.samples.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * The working directories of sample runs: cleared before a run, because a connector's vault from an earlier run does
 * not open with a new run's password. Stateless and thread-safe.
 */
public final class WorkDirectory {

    private WorkDirectory() {
    }

    /**
     * Deletes {@code directory} and everything below it; nothing happens when it does not exist.
     */
    public static void clear(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + directory, e);
        }
    }
}
