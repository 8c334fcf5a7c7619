package io.kakehashi.lineage.provenance;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The verified provenance statements this connector received as a recipient: the latest per agreement (this
 * connector's id), since every transfer under it brings one. Kept in memory: a restart forgets them (the exporter
 * sends one with every completed transfer). Thread-safe.
 */
public final class ProvenanceStore {

    /** One kept statement: the agreement (this connector's id), the compact JWS and its payload. */
    public record Kept(String agreementId, String statement, Map<String, Object> payload) {
    }

    private final Map<String, List<Kept>> byAgreement = new ConcurrentHashMap<>();

    public void keep(Kept kept) {
        byAgreement.put(kept.agreementId(), List.of(kept));
    }

    public List<Kept> byAgreement(String agreementId) {
        return byAgreement.getOrDefault(agreementId, List.of());
    }
}
