package io.kakehashi.policy.decisionlog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An append-only Merkle tree in the shapes of RFC 9162 (Certificate Transparency 2.0, section 2.1), SHA-256: a leaf
 * hashes as {@code SHA-256(0x00 || data)}, an inner node as {@code SHA-256(0x01 || left || right)}, the empty tree as
 * {@code SHA-256()}, and a tree of n leaves splits at the largest power of two smaller than n. It makes the tree head
 * ({@link #root(long)}) of any size up to the current one, inclusion proofs ({@link #inclusionProof}, RFC 9162
 * 2.1.3.1) and consistency proofs ({@link #consistencyProof}, 2.1.4.1), and verifies them ({@link #verifyInclusion},
 * 2.1.3.2; {@link #verifyConsistency}, 2.1.4.2) without the tree, so that an auditor checks one entry, or that a log
 * only grew, with O(log n) hashes.
 *
 * <p>It keeps every complete, aligned subtree's hash (about two hashes per leaf, 64 bytes), so any head or proof costs
 * O(log n) lookups and hashes. Thread-safe: appends are serialised, reads run alongside them.
 */
public final class MerkleTree {

    public static final int HASH_BYTES = 32;
    private static final byte LEAF = 0x00;
    private static final byte NODE = 0x01;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // levels.get(k) holds the hashes of the complete subtrees of 2^k leaves, in order, 32 bytes each
    private final List<byte[]> levels = new ArrayList<>();
    private long size;

    /**
     * The leaf hash of {@code data}: {@code SHA-256(0x00 || data)}.
     */
    public static byte[] leafHash(byte[] data) {
        var digest = sha256();
        digest.update(LEAF);
        digest.update(data);
        return digest.digest();
    }

    /**
     * An inner node's hash: {@code SHA-256(0x01 || left || right)}.
     */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        var digest = sha256();
        digest.update(NODE);
        digest.update(left);
        digest.update(right);
        return digest.digest();
    }

    /**
     * Appends a leaf by its leaf hash ({@link #leafHash}).
     */
    public void appendLeafHash(byte[] leafHash) {
        if (leafHash.length != HASH_BYTES) {
            throw new IllegalArgumentException("a leaf hash has 32 bytes, not " + leafHash.length);
        }
        lock.writeLock().lock();
        try {
            var hash = leafHash;
            var index = size;
            for (int level = 0; ; level++) {
                put(level, index, hash);
                if ((index & 1) == 0) {
                    break;
                }
                hash = nodeHash(get(level, index - 1), hash);
                index >>= 1;
            }
            size++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public long size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The leaf hash at {@code index} (0-based).
     */
    public byte[] leaf(long index) {
        lock.readLock().lock();
        try {
            requireSize(index + 1);
            return get(0, index);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The tree head (root hash) of the first {@code treeSize} leaves; {@code SHA-256()} for none.
     */
    public byte[] root(long treeSize) {
        lock.readLock().lock();
        try {
            requireSize(treeSize);
            return treeSize == 0 ? sha256().digest() : subtree(0, treeSize);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The inclusion proof of leaf {@code index} (0-based) in the tree of the first {@code treeSize} leaves: the audit
     * path of RFC 9162 2.1.3.1, nearest sibling first.
     */
    public List<byte[]> inclusionProof(long index, long treeSize) {
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("leaf index " + index + " is not within a tree of " + treeSize + " leaves");
        }
        lock.readLock().lock();
        try {
            requireSize(treeSize);
            var proof = new ArrayList<byte[]>();
            path(index, 0, treeSize, proof);
            return proof;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The consistency proof that the tree of {@code second} leaves extends the tree of its first {@code first} leaves
     * (RFC 9162 2.1.4.1), {@code 0 < first <= second}; empty when they are equal.
     */
    public List<byte[]> consistencyProof(long first, long second) {
        if (first < 1 || second < first) {
            throw new IllegalArgumentException("a consistency proof needs 0 < first <= second: " + first + ", " + second);
        }
        lock.readLock().lock();
        try {
            requireSize(second);
            var proof = new ArrayList<byte[]>();
            subproof(first, 0, second, true, proof);
            return proof;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Verifies an inclusion proof (RFC 9162 2.1.3.2): that the leaf with hash {@code leafHash} is leaf {@code index}
     * of the tree of {@code treeSize} leaves whose head is {@code root}.
     */
    public static boolean verifyInclusion(long index, long treeSize, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= treeSize || !wellFormed(proof) || leafHash == null || root == null) {
            return false;
        }
        var fn = index;
        var sn = treeSize - 1;
        var r = leafHash;
        for (var p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /**
     * Verifies a consistency proof (RFC 9162 2.1.4.2): that the tree of {@code second} leaves with head
     * {@code secondRoot} extends the tree of {@code first} leaves with head {@code firstRoot}.
     */
    public static boolean verifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
        if (first < 1 || second < first || !wellFormed(proof) || firstRoot == null || secondRoot == null) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
        }
        if (proof.isEmpty()) {
            return false;
        }
        var path = new ArrayList<byte[]>(proof.size() + 1);
        if (Long.bitCount(first) == 1) {
            path.add(firstRoot);
        }
        path.addAll(proof);
        var fn = first - 1;
        var sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        var fr = path.get(0);
        var sr = path.get(0);
        for (int i = 1; i < path.size(); i++) {
            var c = path.get(i);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
    }

    private static boolean wellFormed(List<byte[]> proof) {
        return proof != null && proof.size() <= 64 && proof.stream().allMatch(hash -> hash != null && hash.length == HASH_BYTES);
    }

    // PATH(m, D[start:end]) of RFC 9162 2.1.3.1
    private void path(long m, long start, long end, List<byte[]> proof) {
        var n = end - start;
        if (n == 1) {
            return;
        }
        var k = splitOf(n);
        if (m < k) {
            path(m, start, start + k, proof);
            proof.add(subtree(start + k, end));
        } else {
            path(m - k, start + k, end, proof);
            proof.add(subtree(start, start + k));
        }
    }

    // SUBPROOF(m, D[start:end], b) of RFC 9162 2.1.4.1
    private void subproof(long m, long start, long end, boolean complete, List<byte[]> proof) {
        var n = end - start;
        if (m == n) {
            if (!complete) {
                proof.add(subtree(start, end));
            }
            return;
        }
        var k = splitOf(n);
        if (m <= k) {
            subproof(m, start, start + k, complete, proof);
            proof.add(subtree(start + k, end));
        } else {
            subproof(m - k, start + k, end, false, proof);
            proof.add(subtree(start, start + k));
        }
    }

    /**
     * MTH(D[start:end]); every range the recursions ask for is either a complete subtree aligned on its size (kept)
     * or splits into one followed by a smaller range of the same kind.
     */
    private byte[] subtree(long start, long end) {
        var n = end - start;
        if (Long.bitCount(n) == 1) {
            var level = Long.numberOfTrailingZeros(n);
            return get(level, start >> level);
        }
        var k = splitOf(n);
        return nodeHash(subtree(start, start + k), subtree(start + k, end));
    }

    /** The largest power of two smaller than n (n > 1). */
    static long splitOf(long n) {
        return Long.highestOneBit(n - 1);
    }

    private void requireSize(long treeSize) {
        if (treeSize < 0 || treeSize > size) {
            throw new IllegalArgumentException("the tree has " + size + " leaves, not " + treeSize);
        }
    }

    private byte[] get(int level, long index) {
        var offset = Math.multiplyExact(index, HASH_BYTES);
        return Arrays.copyOfRange(levels.get(level), (int) offset, (int) offset + HASH_BYTES);
    }

    private void put(int level, long index, byte[] hash) {
        while (levels.size() <= level) {
            levels.add(new byte[HASH_BYTES * 16]);
        }
        var offset = Math.toIntExact(Math.multiplyExact(index, HASH_BYTES));
        var array = levels.get(level);
        if (offset + HASH_BYTES > array.length) {
            array = Arrays.copyOf(array, Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, (long) array.length * 2)));
            levels.set(level, array);
        }
        System.arraycopy(hash, 0, array, offset, HASH_BYTES);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Convenience for callers holding hex: the bytes of a lowercase or uppercase hex string of 32 bytes.
     */
    public static byte[] fromHex(String hex) {
        Objects.requireNonNull(hex, "hex");
        var bytes = java.util.HexFormat.of().parseHex(hex);
        if (bytes.length != HASH_BYTES) {
            throw new IllegalArgumentException("a hash has 32 bytes (64 hex characters)");
        }
        return bytes;
    }

    public static String toHex(byte[] hash) {
        return java.util.HexFormat.of().formatHex(hash);
    }
}
