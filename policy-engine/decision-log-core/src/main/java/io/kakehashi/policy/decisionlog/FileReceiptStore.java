package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.Receipt;
import io.kakehashi.policy.decisionlog.spi.ReceiptStore;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Receipts in a JSON Lines file beside the log's ({@code receipts.jsonl}), one {@link Receipts#line} each, with the
 * log's durability: fsync before {@link #save} returns, a torn last line cut off and reported on open. The store's
 * reads take what it verified before keeping it ({@link Receipts#readLine}); {@link #readFile} (an export, for the
 * offline verifier) checks every receipt again with the key it was kept with. A line that is not a receipt makes the
 * read fail naming it. What a save checks (a receipt of the same name) and {@link #lastOf} are answered from indexes
 * read once at open, so that accepting a receipt does not read the whole file. Thread-safe.
 */
public final class FileReceiptStore implements ReceiptStore, AutoCloseable {

    private final JsonLinesFile file;
    /** The receipts kept, by name (issuer and entry position). */
    private final Map<Name, Receipt> byName = new HashMap<>();
    /** The receipt of each issuer kept last. */
    private final Map<String, Receipt> lastByIssuer = new HashMap<>();

    private FileReceiptStore(JsonLinesFile file) {
        this.file = file;
        read(file, false).forEach(this::index);
    }

    public static FileReceiptStore open(Path path, Monitor monitor) {
        var file = JsonLinesFile.openWritable(path);
        if (file.tornBytes() > 0) {
            monitor.warning("Decision log receipts " + path + ": cut off an incomplete last line of " + file.tornBytes() + " bytes");
        }
        return new FileReceiptStore(file);
    }

    @Override
    public synchronized Saved save(Receipt receipt) {
        var kept = byName.get(Name.of(receipt));
        if (kept != null) {
            return ReceiptStore.sameContent(kept, receipt) ? Saved.ALREADY_KEPT : Saved.CONFLICT;
        }
        file.append(Receipts.line(receipt));
        index(receipt);
        return Saved.KEPT;
    }

    @Override
    public synchronized Optional<Receipt> lastOf(String issuer) {
        return Optional.ofNullable(lastByIssuer.get(issuer));
    }

    private void index(Receipt receipt) {
        byName.put(Name.of(receipt), receipt);
        lastByIssuer.put(receipt.issuer(), receipt);
    }

    /** A receipt's name: its issuer and the position of its entry in the issuer's log. */
    private record Name(String issuer, long sequence) {
        static Name of(Receipt receipt) {
            return new Name(receipt.issuer(), receipt.sequence());
        }
    }

    @Override
    public List<Receipt> all() {
        return read(file, false);
    }

    /**
     * The receipts of a file (the store's own or an export) without changing it.
     */
    public static List<Receipt> readFile(Path path) throws IOException {
        try (var file = JsonLinesFile.openReadOnly(path)) {
            return read(file, true);
        }
    }

    private static List<Receipt> read(JsonLinesFile file, boolean verify) {
        var lines = file.read(1, Integer.MAX_VALUE);
        var result = new ArrayList<Receipt>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            try {
                result.add(verify ? Receipts.fromLine(lines.get(i)) : Receipts.readLine(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw new EdcPersistenceException("receipt line %d of %s is not a verified receipt: %s".formatted(i + 1, file.path(), e.getMessage()));
            }
        }
        return result;
    }

    @Override
    public void close() {
        file.close();
    }
}
