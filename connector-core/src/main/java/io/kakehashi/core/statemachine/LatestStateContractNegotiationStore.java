package io.kakehashi.core.statemachine;

import io.kakehashi.core.persistence.ForwardingContractNegotiationStore;
import io.kakehashi.core.persistence.LeasedAfresh;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.result.StoreResult;

import java.util.List;

/**
 * EDC's contract-negotiation store, made to keep the latest state against the writers of one runtime that EDC's lease
 * does not keep apart (every writer of a runtime leases as that runtime, so a lease held by the state machine does not
 * stop the protocol service, a management command or an event subscriber from reading, changing and saving the same
 * negotiation):
 * <ul>
 *   <li><b>a stale copy is not saved back</b>: a save whose state timestamp is older than the stored one comes from a
 *   copy read before another writer's transition; saving it would undo that transition (a terminated negotiation
 *   back to AGREED). It is refused ({@link StoreResult#alreadyExists} with the reason), and the stored negotiation is
 *   saved again instead, which frees the caller's lease as its own save would have;</li>
 *   <li><b>a pending hold belongs to the state it was placed in</b>: EDC's pending guard holds a negotiation in one
 *   state ({@code pending}) for an application to act; EDC's transitions keep the flag, so another writer that moves
 *   the held negotiation on (a termination) saved it still held, and no state machine would ever pick it up. A save
 *   that changes the state of a negotiation stored as held, and carries that hold along, saves it released; the guard
 *   is asked again in the new state;</li>
 *   <li><b>a lease hands out what is stored once it is held</b>, not what was read before it ({@link LeasedAfresh});</li>
 *   <li><b>a lease the state machine holds is not handed to another writer</b> of the runtime: a lease taken by id
 *   waits until the state machine saved what it leased with {@code nextNotLeased}, or is answered "still leased"
 *   ({@link StateMachineLeases}; a refused command used to end the state machine's lease, which then did its step
 *   twice);</li>
 *   <li><b>a lease taken by id to apply a peer's message is let go</b> when EDC's handling neither saved the
 *   negotiation nor let it go ({@link io.kakehashi.core.persistence.UnsavedLeases});</li>
 *   <li><b>a saved change of state wakes the negotiation state machines</b> ({@code stateChanged}): EDC publishes no
 *   event for some transitions that give a state machine work (a requested termination, a consumer's verification),
 *   which the state machine would otherwise find only after its idle wait.</li>
 * </ul>
 * Decision record 0025 (its amendment "the cause found and fixed") tells the sequence that showed the first two. A
 * writer that transitions a negotiation on a copy it read before another writer's save is not detected (its timestamp
 * is new); EDC's protocol service meets that case through {@code OrderedContractNegotiationProtocolService}. Transfer
 * processes get the same rules from {@link LatestStateTransferProcessStore}.
 * <p>
 * Thread-safe when the delegate is; the check and the save of one negotiation are serialized within this runtime.
 */
public class LatestStateContractNegotiationStore extends ForwardingContractNegotiationStore {


    private final StaleSaves<ContractNegotiation> saves;

    public LatestStateContractNegotiationStore(ContractNegotiationStore delegate, Monitor monitor, Runnable stateChanged) {
        super(delegate);
        this.saves = new StaleSaves<>("negotiation", delegate::findById, delegate::save, stateChanged, monitor);
    }

    @Override
    public StoreResult<Void> save(ContractNegotiation negotiation) {
        return saves.save(negotiation);
    }

    @Override
    public List<ContractNegotiation> nextNotLeased(int max, Criterion... criteria) {
        return saves.heldByStateMachine(LeasedAfresh.nextNotLeased(delegate, max, criteria));
    }

    @Override
    public StoreResult<ContractNegotiation> findByIdAndLease(String id) {
        return saves.leasedById(id, () -> LeasedAfresh.findByIdAndLease(delegate, id));
    }
}
