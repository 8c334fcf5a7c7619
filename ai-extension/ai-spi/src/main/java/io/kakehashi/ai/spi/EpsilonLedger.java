package io.kakehashi.ai.spi;

import org.eclipse.edc.spi.result.Result;

/**
 * The differential-privacy ε spent under each agreement, charged by every job that adds noise and kept durably so a
 * restart does not refill the budget. Every implementation passes {@code EpsilonLedgerTestBase} (in this module's
 * test jar). Implementations are thread-safe and each charge is atomic: two jobs cannot both take the last of a
 * budget.
 */
public interface EpsilonLedger {

    /** The ε charged so far under the agreement (0 when nothing was). */
    double spent(String agreementId);

    /**
     * Charges ε for one job (or one round) against the agreement's budget: succeeds with the new total when
     * {@code spent + epsilon ≤ budget}, fails with a reason and charges nothing otherwise. A charge with a
     * {@code chargeId} already charged is not counted again and answers the current total, so a retried job is
     * not charged twice.
     */
    Result<Double> charge(String agreementId, String chargeId, double epsilon, double budget);
}
