package io.kakehashi.policy.decisionlog.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A public key the log has signed checkpoints with, kept by the log itself so that checkpoints signed before a key
 * rotation stay verifiable after the identity has dropped the key (a replaced key is published only for a grace
 * period; a vault entry can be removed). {@code kid} is the key id every checkpoint signed with it names in its JWS
 * header; {@code publicJwk} the public JWK (JSON); {@code added} when the log first took the key.
 * {@code endorsement}, when present, is a compact JWS by the key used before this one, saying that this key follows
 * it (see {@code CheckpointKeyHistory} in decision-log-core): an auditor who trusts the first key can follow the
 * hand-overs without trusting the connector for which key was valid when. Immutable and thread-safe.
 */
public record CheckpointKey(String kid, String publicJwk, Instant added, String endorsement) {

    public CheckpointKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(publicJwk, "publicJwk");
        Objects.requireNonNull(added, "added");
    }

    public Optional<String> endorsementJws() {
        return Optional.ofNullable(endorsement);
    }
}
