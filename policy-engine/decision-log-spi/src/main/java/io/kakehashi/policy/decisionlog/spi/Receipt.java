package io.kakehashi.policy.decisionlog.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A decision the counterparty made about a process this connector shares with it, as the counterparty signed it and
 * this connector verified it (see docs/decisions/0039): {@code jws} is the receipt itself (a compact JWS by the
 * issuer's checkpoint key, carrying the entry, its position and hash, the issuer's signed tree head and the inclusion
 * proof); the other fields are a readable copy of its payload. {@code issuer} is the counterparty's participant id,
 * {@code event} what it decided ({@code negotiation.agreed}, {@code negotiation.terminated}, {@code transfer.started},
 * {@code transfer.terminated}), {@code agreementId} the DSP agreement id both sides know (null for a negotiation
 * refused before any agreement), {@code issuerProcessId} and {@code recipientProcessId} the process ids of both sides,
 * {@code sequence} and {@code entryHash} the entry's position and chain hash in the issuer's log, {@code treeSize}
 * and {@code rootHash} the signed tree head that includes it, {@code issuerKey} the public JWK that verified it,
 * {@code received} when this connector kept it. Immutable and thread-safe.
 */
public record Receipt(String issuer, String event, String agreementId, String issuerProcessId, String recipientProcessId,
                      long sequence, String entryHash, long treeSize, String rootHash, String issuerKey, String jws, Instant received) {

    public Receipt {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(issuerProcessId, "issuerProcessId");
        Objects.requireNonNull(recipientProcessId, "recipientProcessId");
        Objects.requireNonNull(entryHash, "entryHash");
        Objects.requireNonNull(rootHash, "rootHash");
        Objects.requireNonNull(issuerKey, "issuerKey");
        Objects.requireNonNull(jws, "jws");
        Objects.requireNonNull(received, "received");
    }
}
