package io.kakehashi.transfer.grpc.bulk;

import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 states of a bulk source's prefixes, taken while the source was sent (at most 256, at least 1 MiB apart), so
 * that a call resuming at an offset hashes the source only from the nearest state before it instead of from 0. They
 * live in memory with the sender: after the sender's connector restarted, a resume hashes from 0 again. Thread-safe.
 */
public final class PrefixDigests {

    private static final long MIN_INTERVAL = 1024 * 1024;
    private static final int MAX_STATES = 256;
    private final TreeMap<Long, MessageDigest> states = new TreeMap<>();

    /** The state of the hash after the first {@code offset} bytes, kept when far enough from the last one kept. */
    public synchronized void offer(long offset, long totalSize, MessageDigest digest) {
        var interval = Math.max(MIN_INTERVAL, totalSize > 0 ? totalSize / MAX_STATES : MIN_INTERVAL);
        var last = states.isEmpty() ? 0L : states.lastKey();
        if (offset - last < interval || states.size() >= MAX_STATES && offset > last) {
            return;
        }
        try {
            states.put(offset, (MessageDigest) digest.clone());
        } catch (CloneNotSupportedException e) {
            // a provider whose SHA-256 cannot be copied: resumes hash from 0
        }
    }

    /** The kept state nearest at or before {@code offset}: its offset and a copy of the hash, or 0 and a fresh hash. */
    public synchronized Map.Entry<Long, MessageDigest> nearest(long offset) {
        var entry = states.floorEntry(offset);
        if (entry != null) {
            try {
                return Map.entry(entry.getKey(), (MessageDigest) entry.getValue().clone());
            } catch (CloneNotSupportedException e) {
                // fall through to a fresh hash
            }
        }
        return Map.entry(0L, ChunkPump.sha256());
    }
}
