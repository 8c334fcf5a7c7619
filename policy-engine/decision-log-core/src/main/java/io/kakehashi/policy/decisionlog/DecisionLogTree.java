package io.kakehashi.policy.decisionlog;

import io.kakehashi.policy.decisionlog.spi.DecisionSource;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;

import java.util.Objects;

/**
 * The RFC 9162 Merkle tree of a decision log, kept in memory and extended from its source on demand. Leaf n-1 is
 * entry n, and its data is the 32 bytes of the entry's chain hash (the lowercase hex {@code hash} decoded), so an
 * auditor holding an entry recomputes its chain hash from the entry and the previous hash it names, then its leaf
 * hash {@code SHA-256(0x00 || hash)}, and checks an inclusion proof against a signed tree head.
 *
 * <p>Only reads the entries it has not seen; what it has seen it keeps (proofs are about the log as it was read).
 * Thread-safe.
 */
public final class DecisionLogTree {

    private static final int PAGE = 4096;

    private final DecisionSource source;
    private final MerkleTree tree = new MerkleTree();

    public DecisionLogTree(DecisionSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * The leaf hash of a stored entry: {@code SHA-256(0x00 || bytes(hash))}.
     */
    public static byte[] leafHash(StoredDecision stored) {
        return MerkleTree.leafHash(MerkleTree.fromHex(stored.hash()));
    }

    /**
     * The tree, holding at least the first {@code size} entries.
     *
     * @throws IllegalArgumentException when the log holds fewer entries
     * @throws IllegalStateException    when an entry is not at the position its sequence number says (the chain is broken)
     */
    public synchronized MerkleTree upTo(long size) {
        while (tree.size() < size) {
            var from = tree.size() + 1;
            if (source instanceof LineSource lines) {
                var page = lines.readLines(from, (int) Math.min(PAGE, size - tree.size()));
                if (page.isEmpty()) {
                    throw new IllegalArgumentException("the log holds " + tree.size() + " entries, not " + size);
                }
                for (var line : page) {
                    var position = tree.size() + 1;
                    var hash = hashOfLine(line, position);
                    if (hash == null) {
                        // not the form the store writes: read it as an entry
                        var stored = FileDecisionLogStore.parse(position, line);
                        if (stored.sequence() != position) {
                            throw new IllegalStateException("the log is broken at position " + position + ": it holds sequence " + stored.sequence());
                        }
                        hash = stored.hash();
                    }
                    tree.appendLeafHash(MerkleTree.leafHash(MerkleTree.fromHex(hash)));
                }
                continue;
            }
            var page = source.readRange(from, (int) Math.min(PAGE, size - tree.size()));
            if (page.isEmpty()) {
                throw new IllegalArgumentException("the log holds " + tree.size() + " entries, not " + size);
            }
            for (var stored : page) {
                var position = tree.size() + 1;
                if (stored.sequence() != position) {
                    throw new IllegalStateException("the log is broken at position " + position + ": it holds sequence " + stored.sequence());
                }
                tree.appendLeafHash(leafHash(stored));
            }
        }
        return tree;
    }

    /**
     * The {@code hash} of a stored line in the form the store writes ({@code …,"hash":"<64 hex>","previousHash":"<64 hex>",
     * "sequence":<position>}} at its end), without parsing the entry; null for a line of another form.
     */
    static String hashOfLine(String line, long position) {
        var ending = "\",\"sequence\":" + position + "}";
        // ,"hash":"<64>","previousHash":"<64><ending>
        var start = line.length() - ending.length() - 64 - "\",\"previousHash\":\"".length() - 64 - ",\"hash\":\"".length();
        if (start < 0 || !line.endsWith(ending) || !line.startsWith(",\"hash\":\"", start)
                || !line.startsWith("\",\"previousHash\":\"", start + 9 + 64)) {
            return null;
        }
        var hash = line.substring(start + 9, start + 9 + 64);
        for (int i = 0; i < hash.length(); i++) {
            var c = hash.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return hash;
    }

    /**
     * The tree head of the first {@code size} entries, lowercase hex.
     */
    public String root(long size) {
        return MerkleTree.toHex(upTo(size).root(size));
    }
}
