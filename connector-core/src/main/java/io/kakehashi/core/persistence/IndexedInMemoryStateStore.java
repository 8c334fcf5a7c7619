package io.kakehashi.core.persistence;

import org.eclipse.edc.spi.entity.StateResolver;
import org.eclipse.edc.spi.entity.StatefulEntity;
import org.eclipse.edc.spi.persistence.Lease;
import org.eclipse.edc.spi.persistence.StateEntityStore;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.CriterionOperatorRegistry;
import org.eclipse.edc.spi.query.QueryResolver;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.StoreResult;
import org.eclipse.edc.store.ReflectionBasedQueryResolver;
import org.eclipse.edc.store.StatefulEntityCriteriaToPredicate;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The embedded default's store of one kind of stateful entity (negotiations, transfer processes, data flows, policy
 * monitor entries), with the entities indexed by state.
 * <p>
 * EDC 0.15.1's in-memory stores answer a state machine's {@code nextNotLeased(state)} by testing every stored entity
 * against the criteria through reflection, so every iteration of every loop cost time in proportion to all the
 * processes the connector ever held: measured on a provider after 125 negotiations, a quarter of its CPU went to
 * those scans. Here a loop reads only the entities in the state it asks for; other criteria (EDC's
 * {@code pending = false}) are tested on those alone, and queries that name no state read everything as before.
 * <p>
 * Leases behave as EDC's in-memory leases do: one holder per store, a lease taken by {@link #nextNotLeased} or
 * {@link #findByIdAndLease} and freed by {@link #save}; an entity leased by another holder (a test's) cannot be
 * saved or deleted until the lease expires. Every method takes one monitor, so the index never disagrees with the
 * entities; what leaves the store is a copy.
 */
public class IndexedInMemoryStateStore<T extends StatefulEntity<T>> implements StateEntityStore<T> {

    static final Duration LEASE_TIME = Duration.ofSeconds(60);
    private static final String STATE = "state";

    private final Map<String, T> byId = new HashMap<>();
    private final Map<Integer, Set<String>> idsByState = new HashMap<>();
    private final Map<String, Lease> leases = new HashMap<>();
    private final String leaseHolder;
    private final Clock clock;
    private final CriterionOperatorRegistry criterionOperatorRegistry;
    private final QueryResolver<T> queryResolver;

    public IndexedInMemoryStateStore(Class<T> type, String leaseHolder, Clock clock, CriterionOperatorRegistry criterionOperatorRegistry,
                                     StateResolver stateResolver) {
        this.leaseHolder = leaseHolder;
        this.clock = clock;
        this.criterionOperatorRegistry = criterionOperatorRegistry;
        this.queryResolver = new ReflectionBasedQueryResolver<>(type, new StatefulEntityCriteriaToPredicate<>(criterionOperatorRegistry, stateResolver));
    }

    @Override
    public synchronized @Nullable T findById(String id) {
        var entity = id == null ? null : byId.get(id);
        return entity == null ? null : entity.copy();
    }

    @Override
    public synchronized @NotNull List<T> nextNotLeased(int max, Criterion... criteria) {
        Integer state = null;
        Predicate<T> others = entity -> true;
        for (var criterion : criteria) {
            var code = stateCode(criterion);
            if (code != null && state == null) {
                state = code;
            } else {
                others = others.and(criterionOperatorRegistry.toPredicate(criterion));
            }
        }
        Collection<String> candidates = state == null ? byId.keySet() : idsByState.getOrDefault(state, Set.of());
        var now = clock.millis();
        var chosen = candidates.stream()
                .filter(id -> !isLeased(id, now))
                .map(byId::get)
                .filter(others)
                .sorted(Comparator.comparingLong(StatefulEntity::getStateTimestamp))
                .limit(max)
                .toList();
        var copies = new ArrayList<T>(chosen.size());
        for (var entity : chosen) {
            lease(entity.getId(), now);
            copies.add(entity.copy());
        }
        return copies;
    }

    @Override
    public synchronized StoreResult<T> findByIdAndLease(String id) {
        var entity = id == null ? null : byId.get(id);
        if (entity == null) {
            return StoreResult.notFound("Entity %s not found".formatted(id));
        }
        var now = clock.millis();
        if (isLeasedByAnother(id, now)) {
            return StoreResult.alreadyLeased("Cannot acquire lease, is already leased by someone else!");
        }
        lease(id, now);
        return StoreResult.success(entity.copy());
    }

    @Override
    public synchronized StoreResult<Void> save(T entity) {
        var id = entity.getId();
        if (isLeasedByAnother(id, clock.millis())) {
            return StoreResult.alreadyLeased("Cannot acquire lease, is already leased by someone else!");
        }
        var previous = byId.put(id, entity.copy());
        if (previous != null && previous.getState() != entity.getState()) {
            unindex(previous.getState(), id);
        }
        idsByState.computeIfAbsent(entity.getState(), state -> new LinkedHashSet<>()).add(id);
        leases.remove(id);
        return StoreResult.success();
    }

    /** Removes an entity that is not leased by anyone. */
    protected synchronized StoreResult<Void> remove(String id) {
        var entity = byId.get(id);
        if (entity == null) {
            return StoreResult.notFound("Entity %s not found".formatted(id));
        }
        if (isLeased(id, clock.millis())) {
            return StoreResult.alreadyLeased("Entity is leased and cannot be deleted!");
        }
        byId.remove(id);
        unindex(entity.getState(), id);
        return StoreResult.success();
    }

    /** Copies of the entities that match {@code querySpec}, filtered, sorted and paged as EDC's in-memory queries do. */
    protected Stream<T> query(QuerySpec querySpec) {
        return queryResolver.query(snapshot().stream(), querySpec);
    }

    /** A copy of the first entity that matches, for lookups by a property this store does not index: only it is copied. */
    protected synchronized Optional<T> findFirst(Predicate<T> match) {
        for (var entity : byId.values()) {
            if (match.test(entity)) {
                return Optional.of(entity.copy());
            }
        }
        return Optional.empty();
    }

    /** Copies of every entity, for queries that filter, sort and page them. */
    protected synchronized List<T> snapshot() {
        var copies = new ArrayList<T>(byId.size());
        for (var entity : byId.values()) {
            copies.add(entity.copy());
        }
        return copies;
    }

    /** Takes a lease for {@code holder} as another process would; for tests of what a held lease prevents. */
    public synchronized StoreResult<Void> acquireLease(String id, String holder, Duration leaseTime) {
        var lease = leases.get(id);
        if (lease != null && !lease.isExpired(clock.millis()) && !lease.getLeasedBy().equals(holder)) {
            return StoreResult.alreadyLeased("Cannot acquire lease, is already leased by someone else!");
        }
        leases.put(id, new Lease(holder, clock.millis(), leaseTime.toMillis()));
        return StoreResult.success();
    }

    /** Whether {@code holder} holds an unexpired lease on the entity. */
    public synchronized boolean isLeasedBy(String id, String holder) {
        var lease = leases.get(id);
        return lease != null && !lease.isExpired(clock.millis()) && lease.getLeasedBy().equals(holder);
    }

    private void unindex(int state, String id) {
        var ids = idsByState.get(state);
        if (ids != null) {
            ids.remove(id);
            if (ids.isEmpty()) {
                idsByState.remove(state);
            }
        }
    }

    private void lease(String id, long now) {
        leases.put(id, new Lease(leaseHolder, now, LEASE_TIME.toMillis()));
    }

    private boolean isLeased(String id, long now) {
        var lease = leases.get(id);
        return lease != null && !lease.isExpired(now);
    }

    private boolean isLeasedByAnother(String id, long now) {
        var lease = leases.get(id);
        return lease != null && !lease.isExpired(now) && !lease.getLeasedBy().equals(leaseHolder);
    }

    /** The state code a state machine's criterion asks for ({@code state = <code>}), or null for any other criterion. */
    private static Integer stateCode(Criterion criterion) {
        if (STATE.equals(criterion.getOperandLeft()) && "=".equals(criterion.getOperator())
                && criterion.getOperandRight() instanceof Number number) {
            return number.intValue();
        }
        return null;
    }
}
