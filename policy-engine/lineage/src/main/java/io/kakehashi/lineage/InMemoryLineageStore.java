package io.kakehashi.lineage;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The embedded default: records in memory, forgotten at a restart (the connector says so when it starts).
 * Thread-safe.
 */
public final class InMemoryLineageStore implements LineageStore {

    private static final Comparator<LineageRecord> OLDEST_FIRST = Comparator.comparing(LineageRecord::receivedAt).thenComparing(LineageRecord::id);

    private final Map<String, LineageRecord> records = new ConcurrentHashMap<>();

    @Override
    public boolean save(LineageRecord record) {
        return records.putIfAbsent(record.id(), record) == null;
    }

    @Override
    public Optional<LineageRecord> findById(String id) {
        return Optional.ofNullable(records.get(id));
    }

    @Override
    public List<LineageRecord> findByAgreement(String agreementId) {
        return select(r -> r.agreementId().equals(agreementId));
    }

    @Override
    public List<LineageRecord> findByDestination(String destination) {
        return select(r -> Objects.equals(r.destination(), destination));
    }

    private List<LineageRecord> select(Predicate<LineageRecord> filter) {
        return records.values().stream().filter(filter).sorted(OLDEST_FIRST).toList();
    }
}
