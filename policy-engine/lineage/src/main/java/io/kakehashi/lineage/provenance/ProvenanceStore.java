package io.kakehashi.lineage.provenance;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The verified provenance statements this connector received as a recipient, by this connector's agreement id.
 * Kept in memory: a restart forgets them (the exporter sends one with every completed transfer). Thread-safe.
 */
public final class ProvenanceStore {

    /** One kept statement: the agreement (this connector's id), the compact JWS and its payload. */
    public record Kept(String agreementId, String statement, Map<String, Object> payload) {
    }

    private final Map<String, List<Kept>> byAgreement = new ConcurrentHashMap<>();

    public void keep(Kept kept) {
        byAgreement.compute(kept.agreementId(), (id, list) -> {
            var updated = new java.util.ArrayList<Kept>(list == null ? List.of() : list);
            if (updated.stream().noneMatch(k -> k.statement().equals(kept.statement()))) {
                updated.add(kept);
            }
            return List.copyOf(updated);
        });
    }

    public List<Kept> byAgreement(String agreementId) {
        return byAgreement.getOrDefault(agreementId, List.of());
    }
}
