package io.kakehashi.core.statemachine;

import io.kakehashi.core.persistence.LeasedAfresh;
import io.kakehashi.core.persistence.UnsavedLeases;
import org.eclipse.edc.spi.entity.StatefulEntity;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.StoreResult;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The two save rules of the stale-save refusing stores, for any of EDC's stateful entities: a save older than the
 * stored state is refused (and the stored entity saved again, which frees the caller's lease), and a pending hold that
 * a save carries into another state is released; a new entity or a new state, once saved, is announced; and a lease
 * the state machine holds is not handed to another writer of the runtime before the state machine saved
 * ({@link StateMachineLeases}). See {@link LatestStateContractNegotiationStore}.
 * <p>
 * Thread-safe when the store is; the check and the save of one entity are serialized within this runtime.
 */
final class StaleSaves<T extends StatefulEntity<T>> {

    private static final int STRIPES = 64;

    private final String kind;
    private final Function<String, T> find;
    private final Function<T, StoreResult<Void>> save;
    private final Runnable stateChanged;
    private final Monitor monitor;
    private final List<ReentrantLock> locks = IntStream.range(0, STRIPES).mapToObj(i -> new ReentrantLock()).toList();
    private final StateMachineLeases stateMachineLeases = new StateMachineLeases(StateMachineLeases.PATIENCE);

    StaleSaves(String kind, Function<String, T> find, Function<T, StoreResult<Void>> save, Runnable stateChanged, Monitor monitor) {
        this.kind = kind;
        this.find = find;
        this.save = save;
        this.stateChanged = stateChanged;
        this.monitor = monitor;
    }

    StoreResult<Void> save(T entity) {
        var hold = stateMachineLeases.holdOf(entity.getId());
        try {
            var saved = saveChecked(entity);
            UnsavedLeases.saved(key(entity.getId()));
            return saved;
        } finally {
            stateMachineLeases.released(entity.getId(), hold);
        }
    }

    /** Entities the state machine leased ({@code nextNotLeased}): held for it until they are saved ({@link StateMachineLeases}). */
    List<T> heldByStateMachine(List<T> leased) {
        stateMachineLeases.leased(leased.stream().map(StatefulEntity::getId).toList());
        return leased;
    }

    /**
     * A lease taken by id, once the state machine has let the entity go ({@link StateMachineLeases}; "still leased"
     * when it does not within the patience): let go when the work it was taken for ends without saving the entity
     * ({@link UnsavedLeases#letGoAfter}).
     */
    StoreResult<T> leasedById(String id, Supplier<StoreResult<T>> lease) {
        if (!stateMachineLeases.awaitReleased(id)) {
            return LeasedAfresh.stillLeasedFailure(id);
        }
        var leased = lease.get();
        if (leased.succeeded()) {
            UnsavedLeases.leased(key(id), () -> letGo(id));
        }
        return leased;
    }

    /** Ends a lease this runtime holds by saving the stored entity as it is. */
    private void letGo(String id) {
        var lock = lockOf(id);
        lock.lock();
        try {
            var stored = find.apply(id);
            if (stored != null) {
                var saved = save.apply(stored);
                if (saved.succeeded()) {
                    monitor.debug(() -> "%s %s: leased to apply a message and not saved: let go".formatted(kind, id));
                } else {
                    monitor.warning("%s %s: a lease not saved could not be let go (%s); it ends when it expires".formatted(kind, id, saved.getFailureDetail()));
                }
            }
        } catch (RuntimeException e) {
            monitor.warning("%s %s: a lease not saved could not be let go; it ends when it expires".formatted(kind, id), e);
        } finally {
            lock.unlock();
        }
    }

    private String key(String id) {
        return kind + " " + id;
    }

    private ReentrantLock lockOf(String id) {
        return locks.get(Math.floorMod(id.hashCode(), STRIPES));
    }

    private StoreResult<Void> saveChecked(T entity) {
        var lock = lockOf(entity.getId());
        lock.lock();
        try {
            var stored = find.apply(entity.getId());
            if (stored == null) {
                return announced(save.apply(entity));
            }
            if (entity.getStateTimestamp() < stored.getStateTimestamp()) {
                var reason = "%s %s: a copy in %s of %d is older than the stored %s of %d and is not saved".formatted(
                        kind, entity.getId(), entity.stateAsString(), entity.getStateTimestamp(), stored.stateAsString(), stored.getStateTimestamp());
                monitor.debug(() -> reason);
                save.apply(stored);
                return StoreResult.alreadyExists(reason);
            }
            if (entity.isPending() && stored.isPending() && entity.getState() != stored.getState()) {
                monitor.debug(() -> "%s %s: held in %s, saved in %s: released".formatted(kind, entity.getId(), stored.stateAsString(), entity.stateAsString()));
                entity.setPending(false);
            }
            var saved = save.apply(entity);
            return entity.getState() == stored.getState() ? saved : announced(saved);
        } finally {
            lock.unlock();
        }
    }

    /** A new entity or a new state is work for a state machine: it is told once the save succeeded. */
    private StoreResult<Void> announced(StoreResult<Void> saved) {
        if (saved.succeeded()) {
            stateChanged.run();
        }
        return saved;
    }
}
