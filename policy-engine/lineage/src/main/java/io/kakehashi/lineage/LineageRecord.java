package io.kakehashi.lineage;

import io.kakehashi.lineage.spi.LineageKind;

import java.time.Instant;
import java.util.Objects;

/**
 * Where one thing this connector received as a consumer comes from: a file a transfer delivered, a compute result or
 * a model a provider's connector sent back. Immutable.
 *
 * @param id          the consumer's id of the transfer process that delivered it (a compute job's id is its process's
 *                    id), which an asset names to declare it derives from it
 * @param kind        what was received
 * @param agreementId this connector's id of the agreement it was received under
 * @param providerId  the provider's participant id (its DID)
 * @param assetId     the provider's asset
 * @param destination where it was written (an absolute path)
 * @param sha256      the SHA-256 of the received content, hex; {@code null} when the content was not at hand
 * @param receivedAt  when the transfer completed at this connector
 */
public record LineageRecord(String id, LineageKind kind, String agreementId, String providerId, String assetId, String destination,
                            String sha256, Instant receivedAt) {

    public LineageRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(agreementId, "agreementId");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
