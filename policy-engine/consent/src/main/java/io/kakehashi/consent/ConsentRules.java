package io.kakehashi.consent;

import io.kakehashi.identity.spi.VerifiedClaims;
import io.kakehashi.policy.constraints.JurisdictionGroups;
import io.kakehashi.policy.constraints.Purposes;
import io.kakehashi.policy.constraints.onward.OnwardTransfer;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.spi.result.Result;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Whether a data subject's consent covers a use: in force at the instant (granted, not expired, not withdrawn), for
 * every purpose the use may serve (each within a consented purpose: a consent for {@code ai} covers
 * {@code ai.training}), and to this consumer (its DID, a dataspace it is a verified member of, the country it is
 * verifiably registered in, or {@code any}). Recipients are read with the same parser as {@code onwardTransfer}'s
 * right operand. Stateless apart from the configured jurisdiction groups; thread-safe.
 */
public final class ConsentRules {

    /** What the consents of a subject say about a use; every verdict but {@link #ADMITTED} leaves its records out. */
    public enum Verdict {
        ADMITTED("admitted"),
        NO_CONSENT("no consent"),
        NOT_YET_GRANTED("not yet granted"),
        WITHDRAWN("withdrawn"),
        EXPIRED("expired"),
        OTHER_PURPOSE("for another purpose"),
        OTHER_RECIPIENT("for another recipient"),
        NO_SUBJECT("no data subject in the record");

        private final String words;

        Verdict(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    private final JurisdictionGroups groups;

    public ConsentRules(JurisdictionGroups groups) {
        this.groups = groups;
    }

    /** Checks a recipient as given on the API; the failure says what is wrong. */
    public Result<Void> validRecipient(String recipient) {
        if (recipient == null || recipient.isBlank()) {
            return Result.failure("recipient is required: a DID, 'membership:<dataspace>', 'jurisdiction:<country or group>' or 'any'");
        }
        if (Consent.ANY.equals(recipient)) {
            return Result.success();
        }
        if (OnwardTransfer.NONE.equals(recipient.trim())) {
            return Result.failure("recipient 'none' admits nobody; withdraw the consent instead");
        }
        var parsed = OnwardTransfer.parse(groups, Operator.EQ, recipient);
        return parsed.failed() ? Result.failure(parsed.getFailureDetail().replace("onwardTransfer:", "recipient:")) : Result.success();
    }

    /** Checks purposes as given on the API. */
    public static Result<Void> validPurposes(Collection<String> purposes) {
        if (purposes == null || purposes.isEmpty()) {
            return Result.failure("purposes is required: one or more of " + Purposes.ALL);
        }
        for (var purpose : purposes) {
            if (purpose == null || !Purposes.isKnown(purpose)) {
                return Result.failure("purposes: '%s' is not a known purpose %s".formatted(purpose, Purposes.ALL));
            }
        }
        return Result.success();
    }

    /**
     * The verdict of a subject's consents (oldest first) for a use: {@link Verdict#ADMITTED} when one of them covers
     * it, otherwise the reason of the latest one (what the subject said last), {@link Verdict#NO_CONSENT} when there is none.
     *
     * @param purposes every purpose the use may serve
     */
    public Verdict verdict(List<Consent> consents, Collection<String> purposes, VerifiedClaims consumer, Instant now) {
        var verdict = Verdict.NO_CONSENT;
        for (var consent : consents) {
            var one = verdict(consent, purposes, consumer, now);
            if (one == Verdict.ADMITTED) {
                return one;
            }
            verdict = one;
        }
        return verdict;
    }

    /** The verdict of one consent for a use. */
    public Verdict verdict(Consent consent, Collection<String> purposes, VerifiedClaims consumer, Instant now) {
        if (consent.withdrawnAt() != null && !consent.withdrawnAt().isAfter(now)) {
            return Verdict.WITHDRAWN;
        }
        if (consent.grantedAt().isAfter(now)) {
            return Verdict.NOT_YET_GRANTED;
        }
        if (consent.expiresAt() != null && !consent.expiresAt().isAfter(now)) {
            return Verdict.EXPIRED;
        }
        if (purposes.isEmpty() || !purposes.stream().allMatch(purpose -> Purposes.isWithinAny(purpose, consent.purposes()))) {
            return Verdict.OTHER_PURPOSE;
        }
        return admitsRecipient(consent.recipient(), consumer) ? Verdict.ADMITTED : Verdict.OTHER_RECIPIENT;
    }

    private boolean admitsRecipient(String recipient, VerifiedClaims consumer) {
        if (Consent.ANY.equals(recipient)) {
            return true;
        }
        var parsed = OnwardTransfer.parse(groups, Operator.EQ, recipient);
        return parsed.succeeded() && parsed.getContent().refusal(consumer).isEmpty();
    }
}
