package io.kakehashi.policy.decisionlog.spi;

import java.util.List;
import java.util.Optional;

/**
 * Where the receipts counterparties sent are kept, once verified. Append-only and durable before {@link #save}
 * returns. A receipt is named by its issuer and the position of its entry in the issuer's log: saving one with a
 * name already kept keeps the first and says whether the two are the same receipt (a resend) or not (the issuer's
 * log gave one position two entries — a replay with other content). Implementations are thread-safe.
 */
public interface ReceiptStore {

    /**
     * What a save did.
     */
    enum Saved { KEPT, ALREADY_KEPT, CONFLICT }

    Saved save(Receipt receipt);

    /**
     * Every receipt, in the order they were kept.
     */
    List<Receipt> all();

    /**
     * The receipts about one DSP agreement, in the order they were kept.
     */
    default List<Receipt> byAgreement(String agreementId) {
        return all().stream().filter(receipt -> agreementId.equals(receipt.agreementId())).toList();
    }

    /**
     * The receipt of {@code issuer} kept last, if any: the issuer key a new receipt of that issuer is checked against.
     * A store answers it without reading every receipt; this default, for a store that cannot, reads them all.
     */
    default Optional<Receipt> lastOf(String issuer) {
        var all = all();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).issuer().equals(issuer)) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether two receipts have the same name (issuer and entry position).
     */
    static boolean sameName(Receipt a, Receipt b) {
        return a.issuer().equals(b.issuer()) && a.sequence() == b.sequence();
    }

    /**
     * Whether two receipts of the same name state the same decision: same entry hash and event.
     */
    static boolean sameContent(Receipt a, Receipt b) {
        return a.entryHash().equals(b.entryHash()) && a.event().equals(b.event())
                && a.issuerProcessId().equals(b.issuerProcessId()) && a.recipientProcessId().equals(b.recipientProcessId());
    }
}
