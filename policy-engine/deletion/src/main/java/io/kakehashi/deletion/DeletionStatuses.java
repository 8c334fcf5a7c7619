package io.kakehashi.deletion;

import io.kakehashi.policy.constraints.DeletionDeadlines;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Where each deletion duty of this connector's agreements stands, computed on every call from the agreements, their
 * deadlines, the clock and the receipts kept: as a provider {@code CONFIRMED} (a verified receipt is kept),
 * {@code OVERDUE} (the deadline has passed and no receipt is kept) or {@code DUE} (the deadline is still ahead); as a
 * consumer {@code DELETED} (with the receipt's delivery) or {@code DUE}. Thread-safe.
 */
public final class DeletionStatuses {

    /**
     * One agreement's deletion duty.
     *
     * @param agreementId         this connector's id of the agreement
     * @param protocolAgreementId its id in the protocol
     * @param role                {@code provider} or {@code consumer}: this connector's side
     * @param counterpartyId      the other side
     * @param assetId             the asset
     * @param deadline            the earliest deletion deadline (ISO 8601)
     * @param state               {@code DUE}, {@code OVERDUE}, {@code CONFIRMED} or {@code DELETED}
     * @param deletedAt           when the consumer deleted (from the receipt), or null
     * @param delivery            the receipt's delivery ({@code PENDING}, {@code CONFIRMED}, {@code NOT_CONFIRMING},
     *                            {@code REFUSED}, or {@code KEPT} at the provider), or null
     * @param detail              why a delivery was refused, or null
     * @param receipt             the receipt's compact JWS (anyone can verify it with the consumer's DID key), or null
     * @param receiptSha256       its SHA-256, as the decision logs name it, or null
     */
    public record Status(String agreementId, String protocolAgreementId, String role, String counterpartyId, String assetId, String deadline, String state,
                         String deletedAt, String delivery, String detail, String receipt, String receiptSha256) {
    }

    public static final List<String> STATES = List.of("DUE", "OVERDUE", "CONFIRMED", "DELETED");

    private final String participantId;
    private final Supplier<Stream<ContractAgreement>> agreements;
    private final DeletionStore store;
    private final Clock clock;

    public DeletionStatuses(String participantId, Supplier<Stream<ContractAgreement>> agreements, DeletionStore store, Clock clock) {
        this.participantId = participantId;
        this.agreements = agreements;
        this.store = store;
        this.clock = clock;
    }

    /** Every agreement of this connector with a deletion duty, optionally only those in {@code state}. */
    public List<Status> all(String state) {
        var result = new ArrayList<Status>();
        try (var all = agreements.get()) {
            all.forEach(agreement -> of(agreement).filter(s -> state == null || state.equals(s.state())).ifPresent(result::add));
        }
        return result;
    }

    public java.util.Optional<Status> of(ContractAgreement agreement) {
        var deadlines = DeletionDeadlines.of(agreement);
        if (deadlines.isEmpty()) {
            return java.util.Optional.empty();
        }
        var deadline = deadlines.get(0).deadline();
        var protocolId = agreement.getAgreementId() == null ? agreement.getId() : agreement.getAgreementId();
        DeletionRecord.Role role;
        String counterparty;
        if (participantId.equals(agreement.getProviderId())) {
            role = DeletionRecord.Role.PROVIDER;
            counterparty = agreement.getConsumerId();
        } else if (participantId.equals(agreement.getConsumerId())) {
            role = DeletionRecord.Role.CONSUMER;
            counterparty = agreement.getProviderId();
        } else {
            return java.util.Optional.empty();
        }
        var record = store.find(role, agreement.getId());
        String state;
        if (record.isPresent()) {
            state = role == DeletionRecord.Role.PROVIDER ? "CONFIRMED" : "DELETED";
        } else {
            state = role == DeletionRecord.Role.PROVIDER && !clock.instant().isBefore(deadline) ? "OVERDUE" : "DUE";
        }
        var r = record.orElse(null);
        return java.util.Optional.of(new Status(agreement.getId(), protocolId, role.name().toLowerCase(java.util.Locale.ROOT), counterparty,
                agreement.getAssetId(), deadline.toString(), state, r == null || r.deletedAt() == null ? null : r.deletedAt().toString(),
                r == null ? null : r.delivery().name(), r == null ? null : r.detail(), r == null ? null : r.receipt(), r == null ? null : r.receiptSha256()));
    }
}
