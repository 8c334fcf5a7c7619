package io.kakehashi.consent;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The holder's consent register and what it delivered under it: the consents of data subjects, and per use (a
 * transfer or compute job under an agreement) whose records went to the consumer, so that a withdrawal later knows
 * whom to tell. Implementations are thread-safe.
 */
public interface ConsentStore {

    /** Saves a new consent or replaces the one with the same id. */
    void save(Consent consent);

    Optional<Consent> find(String id);

    /** A subject's consents, oldest first. */
    List<Consent> findBySubject(String subjectId);

    /** The consents that concern an asset (they name it or no asset), oldest first. */
    List<Consent> findByAsset(String assetId);

    /** Records that the records of these subjects were delivered in a use under an agreement. */
    void delivered(Delivery delivery);

    /** The uses that delivered a subject's records, oldest first. */
    List<Delivery> deliveriesOf(String subjectId);

    /** Keeps what became of a withdrawal notice to one agreement's consumer, replacing the one kept before. */
    void noticed(Notice notice);

    /** The notices a withdrawn consent led to, one per agreement. */
    List<Notice> notices(String consentId);

    /** Every notice not yet delivered ({@link Notice.State#PENDING}), oldest first. */
    List<Notice> pendingNotices();

    /**
     * What became of telling an agreement's consumer that a subject withdrew its consent.
     *
     * @param consentId   the withdrawn consent
     * @param agreementId this connector's id of the agreement that delivered the subject's records
     * @param consumerId  the consumer
     * @param state       what the consumer answered
     * @param detail      the consumer's reason when it refused, or why it could not be reached; null when confirmed
     * @param receipt     the consumer's signed deletion receipt (compact JWS) when confirmed
     * @param at          when
     */
    record Notice(String consentId, String agreementId, String consumerId, State state, String detail, String receipt, Instant at) {

        public enum State {
            /** The consumer deleted the subject's records and its signed receipt verified. */
            CONFIRMED,
            /** Not delivered yet (no answer, a 5xx, or no address): sent again at the next retry or withdrawal. */
            PENDING,
            /** The consumer's connector has no withdrawal endpoint (404). */
            NOT_CONFIRMING,
            /** The consumer refused the notice, or answered with a receipt that does not verify. */
            REFUSED
        }
    }

    /**
     * A use of an asset that delivered data subjects' records.
     *
     * @param agreementId this connector's id of the agreement
     * @param consumerId  the agreement's consumer
     * @param assetId     the asset
     * @param useId       the transfer process or compute job
     * @param kind        {@code transfer} or {@code compute}
     * @param subjects    whose records were delivered
     * @param at          when
     */
    record Delivery(String agreementId, String consumerId, String assetId, String useId, String kind, Set<String> subjects, Instant at) {
        public Delivery {
            subjects = Set.copyOf(subjects);
        }

        public static Delivery of(String agreementId, String consumerId, String assetId, String useId, String kind, Collection<String> subjects,
                                  Instant at) {
            return new Delivery(agreementId, consumerId, assetId, useId, kind, Set.copyOf(subjects), at);
        }
    }
}
