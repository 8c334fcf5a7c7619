package io.kakehashi.core.statemachine;

import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.StoreResult;

import java.util.List;
import java.util.stream.Stream;

/**
 * EDC's contract-negotiation store, made safe against two writers of one runtime that EDC's lease does not keep apart
 * (every writer of a runtime leases as that runtime, so a lease held by the state machine does not stop the protocol
 * service, a management command or an event subscriber from reading, changing and saving the same negotiation):
 * <ul>
 *   <li><b>a stale copy is not saved back</b>: a save whose state timestamp is older than the stored one comes from a
 *   copy read before another writer's transition; saving it would undo that transition (a terminated negotiation
 *   back to AGREED). It is refused ({@link StoreResult#alreadyExists} with the reason), and the stored negotiation is
 *   saved again instead, which frees the caller's lease as its own save would have;</li>
 *   <li><b>a pending hold belongs to the state it was placed in</b>: EDC's pending guard holds a negotiation in one
 *   state ({@code pending}) for an application to act; EDC's transitions keep the flag, so another writer that moves
 *   the held negotiation on (a termination) saved it still held, and no state machine would ever pick it up. A save
 *   that changes the state of a negotiation stored as held, and carries that hold along, saves it released; the guard
 *   is asked again in the new state.</li>
 * </ul>
 * Decision record 0025 (its amendment "the cause found and fixed") tells the sequence that showed both. A writer
 * that transitions a negotiation on a copy it read before another writer's save is not detected (its timestamp is
 * new); EDC's protocol service meets that case through {@code OrderedContractNegotiationProtocolService}. Transfer
 * processes get the same rules from {@link StaleSaveRefusingTransferProcessStore}.
 * <p>
 * Thread-safe when the delegate is; the check and the save of one negotiation are serialized within this runtime.
 */
public class StaleSaveRefusingContractNegotiationStore implements ContractNegotiationStore {

    private final ContractNegotiationStore delegate;
    private final StaleSaves<ContractNegotiation> saves;

    public StaleSaveRefusingContractNegotiationStore(ContractNegotiationStore delegate, Monitor monitor) {
        this.delegate = delegate;
        this.saves = new StaleSaves<>("negotiation", delegate::findById, delegate::save, monitor);
    }

    @Override
    public StoreResult<Void> save(ContractNegotiation negotiation) {
        return saves.save(negotiation);
    }

    @Override
    public ContractAgreement findContractAgreement(String id) {
        return delegate.findContractAgreement(id);
    }

    @Override
    public StoreResult<Void> deleteById(String id) {
        return delegate.deleteById(id);
    }

    @Override
    public Stream<ContractNegotiation> queryNegotiations(QuerySpec querySpec) {
        return delegate.queryNegotiations(querySpec);
    }

    @Override
    public Stream<ContractAgreement> queryAgreements(QuerySpec querySpec) {
        return delegate.queryAgreements(querySpec);
    }

    @Override
    public ContractNegotiation findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public List<ContractNegotiation> nextNotLeased(int max, Criterion... criteria) {
        return delegate.nextNotLeased(max, criteria);
    }

    @Override
    public StoreResult<ContractNegotiation> findByIdAndLease(String id) {
        return delegate.findByIdAndLease(id);
    }
}
