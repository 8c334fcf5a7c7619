package io.kakehashi.policy.decisionlog;

import com.fasterxml.jackson.databind.JsonNode;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The chain's one hash rule, so that stores, verifiers and auditors compute the same bytes:
 * <pre>
 *   hash(n) = lowercase-hex( SHA-256( UTF-8( hash(n-1) + "\n" + decimal(n) + "\n" + JCS(entry(n)) ) ) )
 *   hash(0) = GENESIS = 64 × "0"
 * </pre>
 * Covering the sequence number as well as the previous hash makes a renumbered entry fail on its own hash.
 * Stateless and thread-safe.
 */
public final class HashChain {

    public static final String GENESIS = "0".repeat(64);
    private static final HexFormat HEX = HexFormat.of();
    // one per thread: looking the algorithm up again for every entry cost more than hashing it; digest() resets it
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(HashChain::newSha256);

    private HashChain() {
    }

    public static String hash(String previousHash, long sequence, DecisionEntry entry) {
        return hashCanonical(previousHash, sequence, DecisionJson.canonicalEntry(entry));
    }

    public static String hash(String previousHash, long sequence, JsonNode entry) {
        return hashCanonical(previousHash, sequence, JsonCanonicalizer.canonicalize(entry));
    }

    /**
     * The hash from the entry's canonical JSON ({@link DecisionJson#canonicalEntry}), already made.
     */
    public static String hashCanonical(String previousHash, long sequence, String canonicalEntry) {
        return hashCanonical(previousHash, sequence, canonicalEntry.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The hash from the UTF-8 bytes of the entry's canonical JSON: the digest is fed the pieces one after another, which
     * gives the bytes of the joined text (the newlines keep every piece whole).
     */
    static String hashCanonical(String previousHash, long sequence, byte[] canonicalEntry) {
        return hashCanonical(previousHash, sequence, canonicalEntry, 0, canonicalEntry.length);
    }

    /**
     * The hash from the UTF-8 bytes of the entry's canonical JSON at {@code bytes[from, to)} (a stored line's entry, as
     * it sits in the bytes read from the file).
     */
    static String hashCanonical(String previousHash, long sequence, byte[] bytes, int from, int to) {
        var digest = SHA_256.get();
        digest.update(previousHash.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        digest.update(Long.toString(sequence).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) '\n');
        digest.update(bytes, from, to - from);
        return HEX.formatHex(digest.digest());
    }

    /**
     * Lowercase hex SHA-256 of the canonical JSON of a value: the digest to put in {@code policyHash} (over the
     * policy's JSON) or {@code claimsDigest} (over the claims the evaluation used).
     */
    public static String digest(JsonNode value) {
        return sha256Hex(JsonCanonicalizer.canonicalize(value));
    }

    static String sha256Hex(String text) {
        return HEX.formatHex(SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
