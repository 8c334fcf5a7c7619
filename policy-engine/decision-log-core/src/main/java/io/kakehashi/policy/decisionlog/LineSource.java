package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.DecisionSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A source whose entries are stored lines (the file store, an export): the verifier reads the lines themselves, so it
 * can hash an entry's canonical text as stored instead of making it again.
 */
interface LineSource extends DecisionSource {

    /**
     * Up to {@code max} stored lines from {@code fromPosition} on, without their newlines; fewer (or none) at the end.
     */
    List<String> readLines(long fromPosition, int max);

    /**
     * The same lines as {@link #readLines}, as the stored bytes themselves (one array for the page).
     */
    Page readPage(long fromPosition, int max);

    /**
     * Lines as stored: line {@code i} (0-based) is {@code bytes[start(i), end(i))}, its newline at {@code end(i)}.
     */
    record Page(byte[] bytes, int[] ends) {

        int size() {
            return ends.length;
        }

        int start(int line) {
            return line == 0 ? 0 : ends[line - 1];
        }

        int end(int line) {
            return ends[line] - 1;
        }

        String line(int line) {
            return new String(bytes, start(line), end(line) - start(line), StandardCharsets.UTF_8);
        }
    }
}
