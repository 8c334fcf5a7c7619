package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.DecisionSource;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes entries and checkpoints as JSON Lines, one canonical JSON object per line, in exactly the format of the
 * file store's files — so that the offline verifier reads an export and a copied file store alike. The writer is
 * not closed. Stateless and thread-safe.
 */
public final class DecisionLogExporter {

    private static final int PAGE = 1000;

    private DecisionLogExporter() {
    }

    /**
     * Writes positions {@code from} to {@code to} (inclusive) and returns how many entries were written.
     *
     * @throws io.kakehashi.policy.decisionlog.spi.DecisionLogCorruptedException when a stored entry cannot be read
     */
    public static long exportEntries(DecisionSource source, long from, long to, Writer out) throws IOException {
        long written = 0;
        var position = from;
        while (position <= to) {
            var page = source.readRange(position, (int) Math.min(PAGE, to - position + 1));
            for (var stored : page) {
                out.write(DecisionJson.storedLine(stored));
                out.write('\n');
            }
            written += page.size();
            position += page.size();
            if (page.size() < PAGE) {
                break;
            }
        }
        out.flush();
        return written;
    }

    public static void exportCheckpoints(List<Checkpoint> checkpoints, Writer out) throws IOException {
        for (var checkpoint : checkpoints) {
            out.write(DecisionJson.checkpointLine(checkpoint));
            out.write('\n');
        }
        out.flush();
    }
}
