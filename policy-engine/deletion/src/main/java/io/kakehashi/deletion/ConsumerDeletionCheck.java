package io.kakehashi.deletion;

import io.kakehashi.policy.constraints.DeletionDeadlines;
import io.kakehashi.policy.spi.AgreementStatus;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.spi.monitor.Monitor;

import java.io.IOException;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One round of the consumer's deletion duties: every agreement this connector consumes under a deletion duty is
 * deleted (through {@link ConsumerDeletion}) once its deadline has come or it has been terminated, and every receipt
 * not yet delivered is sent to the provider: 2xx CONFIRMED, 404 (no such endpoint: a provider that does not run
 * Kakehashi) NOT_CONFIRMING, another 4xx REFUSED with its reason, a 5xx or no answer stays PENDING for the next round.
 * Rounds run one at a time (the scheduler's single thread). Thread-safe.
 */
public final class ConsumerDeletionCheck implements Runnable {

    private final String participantId;
    private final Supplier<Stream<ContractAgreement>> agreements;
    private final AgreementStatus status;
    private final ConsumerDeletion deletion;
    private final DeletionStore store;
    private final ReceiptSender sender;
    private final Function<String, String> providerAddress;
    private final Clock clock;
    private final Monitor monitor;

    /**
     * @param agreements      every agreement this connector holds
     * @param providerAddress the provider's protocol base URL for an agreement (this connector's id of it), taken from
     *                        the negotiation; null when unknown
     */
    public ConsumerDeletionCheck(String participantId, Supplier<Stream<ContractAgreement>> agreements, AgreementStatus status, ConsumerDeletion deletion,
                                 DeletionStore store, ReceiptSender sender, Function<String, String> providerAddress, Clock clock, Monitor monitor) {
        this.participantId = participantId;
        this.agreements = agreements;
        this.status = status;
        this.deletion = deletion;
        this.store = store;
        this.sender = sender;
        this.providerAddress = providerAddress;
        this.clock = clock;
        this.monitor = monitor;
    }

    @Override
    public void run() {
        try (var all = agreements.get()) {
            all.filter(a -> participantId.equals(a.getConsumerId())).forEach(this::check);
        } catch (RuntimeException e) {
            monitor.warning("Deletion check failed: " + e.getMessage());
        }
        store.all().stream().filter(r -> r.role() == DeletionRecord.Role.CONSUMER && r.delivery() == DeletionRecord.Delivery.PENDING).forEach(this::deliver);
    }

    private void check(ContractAgreement agreement) {
        if (store.find(DeletionRecord.Role.CONSUMER, agreement.getId()).isPresent()) {
            return;
        }
        var deadlines = DeletionDeadlines.of(agreement);
        if (deadlines.isEmpty()) {
            return;
        }
        var deadline = deadlines.get(0).deadline();
        String cause;
        if (!clock.instant().isBefore(deadline)) {
            cause = DeletionReceipt.DEADLINE;
        } else if (status.usable(agreement.getId()).failed()) {
            cause = DeletionReceipt.TERMINATION;
        } else {
            return;
        }
        var done = deletion.delete(agreement, cause, deadline);
        if (done.failed()) {
            monitor.warning("Deletion under agreement %s: %s".formatted(agreement.getId(), done.getFailureDetail()));
        } else {
            monitor.info("Deleted what was received under agreement %s (%s); receipt signed".formatted(agreement.getId(), cause));
        }
    }

    /** Sends the receipt of a PENDING record and keeps the outcome; answers the record as it now is. */
    public DeletionRecord deliver(DeletionRecord record) {
        var base = providerAddress.apply(record.agreementId());
        if (base == null) {
            var updated = record.withDelivery(DeletionRecord.Delivery.REFUSED, "no provider address is known for the agreement", clock.instant());
            store.save(updated);
            return updated;
        }
        try {
            var answer = sender.send(base, record.receipt());
            DeletionRecord updated;
            if (answer.status() >= 200 && answer.status() < 300) {
                updated = record.withDelivery(DeletionRecord.Delivery.CONFIRMED, null, clock.instant());
            } else if (answer.status() == 404) {
                updated = record.withDelivery(DeletionRecord.Delivery.NOT_CONFIRMING, "the provider's connector answered 404: it does not receive deletion receipts",
                        clock.instant());
            } else if (answer.status() >= 400 && answer.status() < 500) {
                updated = record.withDelivery(DeletionRecord.Delivery.REFUSED, "%d %s".formatted(answer.status(), answer.message()).trim(), clock.instant());
            } else {
                monitor.debug("Deletion receipt of agreement %s: the provider answered %d; sent again at the next check".formatted(record.agreementId(), answer.status()));
                return record;
            }
            store.save(updated);
            return updated;
        } catch (IOException e) {
            monitor.debug("Deletion receipt of agreement %s: the provider cannot be reached; sent again at the next check".formatted(record.agreementId()));
            return record;
        }
    }
}
