package io.kakehashi.samples.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.samples.crash.CrashDataspace.Side;
import io.kakehashi.samples.support.ManagementClient;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A contract negotiation killed at one of its moments: just requested (the consumer's request sent the moment before
 * the kill), in flight (the provider has acknowledged it), just after the agreement (the consumer holds it, the
 * negotiation is not yet finalized), or terminated by the consumer just after the agreement. An offer the consumer
 * satisfies must end FINALIZED on both sides, with the same agreement on both; an offer it does not satisfy (EU/EEA
 * only, the consumer being in Japan) must end TERMINATED at the consumer with its reason, and at the provider
 * TERMINATED with a reason or not at all (it refuses the request at once and keeps nothing); a negotiation the consumer
 * terminated must end TERMINATED on both sides with a reason on both management APIs.
 */
final class NegotiationSituation extends Situation {

    /** Where the kill lands. */
    enum Moment {
        REQUESTED("negotiation requested"),
        IN_FLIGHT("negotiation in flight"),
        AGREED("just after the agreement"),
        /** The consumer terminates the negotiation the moment it holds the agreement, just before the kill. */
        TERMINATED_AFTER_AGREEMENT("terminated just after the agreement");

        final String label;

        Moment(String label) {
            this.label = label;
        }
    }

    private static final Set<String> CONSUMER_HOLDS_AGREEMENT = Set.of("AGREED", "VERIFYING", "VERIFIED", "FINALIZED");

    private final Moment moment;
    private final boolean refused;
    private final String assetId;
    private ObjectNode offer;
    private volatile String negotiationId;
    private volatile String seen;

    NegotiationSituation(CrashDataspace dataspace, Moment moment, boolean refused, Side victim, int round) {
        super(dataspace, (refused ? "refused " : "") + moment.label, victim, round);
        this.moment = moment;
        this.refused = refused;
        this.assetId = "neg-%s-%s%s-r%d".formatted(moment.name().toLowerCase(Locale.ROOT), victim.label(), refused ? "-refused" : "", round);
    }

    @Override
    void prepare() {
        dataspace.publish(assetId, Map.of("type", "HttpData", "baseUrl", dataspace.source().add(assetId, 1024, PacedSource.Pace.DRIBBLE)),
                refused ? CrashDataspace.EU_ONLY_POLICY : CrashDataspace.OPEN_POLICY);
        offer = dataspace.offer(assetId);
    }

    @Override
    void begin() {
        if (moment != Moment.REQUESTED) {
            negotiationId = dataspace.negotiate(offer);
        }
    }

    @Override
    boolean inPosition() {
        if (moment == Moment.REQUESTED) {
            return true;
        }
        var consumer = consumer().path("state").asText();
        seen = consumer;
        return switch (moment) {
            // the consumer marks it REQUESTED once the provider has acknowledged the request; a later state means the
            // poll missed the moment, and the kill lands there (the summary shows where)
            case IN_FLIGHT -> !consumer.isEmpty() && !"INITIAL".equals(consumer) && !"REQUESTING".equals(consumer);
            case AGREED, TERMINATED_AFTER_AGREEMENT -> CONSUMER_HOLDS_AGREEMENT.contains(consumer) || "TERMINATED".equals(consumer);
            default -> true;
        };
    }

    @Override
    boolean fleeting() {
        return moment != Moment.REQUESTED;
    }

    /** What the negotiation must end as on both sides. */
    private String expected() {
        return refused || moment == Moment.TERMINATED_AFTER_AGREEMENT ? "TERMINATED" : "FINALIZED";
    }

    @Override
    boolean trigger() {
        if (moment == Moment.REQUESTED) {
            negotiationId = dataspace.negotiate(offer);
            return true;
        }
        if (moment == Moment.TERMINATED_AFTER_AGREEMENT) {
            var body = ManagementClient.body("TerminateNegotiation").put("@id", negotiationId)
                    .put("reason", "crash suite: the consumer withdraws after the agreement");
            try {
                dataspace.api(Side.CONSUMER).post("/v3/contractnegotiations/" + negotiationId + "/terminate", body);
            } catch (RuntimeException e) {
                // the negotiation moved on (FINALIZED) before the terminate: the point was missed, not failed
                result.skipped = "the consumer's terminate came too late (%s): %s".formatted(seen, abbreviate(String.valueOf(e.getMessage()), 120));
            }
            return true;
        }
        return false;
    }

    @Override
    String describe() {
        if (seen != null) {
            var expected = moment == Moment.IN_FLIGHT ? Set.of("REQUESTED") : Set.of("AGREED", "VERIFYING", "VERIFIED");
            return "consumer %s%s (last poll)".formatted(seen, expected.contains(seen) ? "" : ", past the moment");
        }
        var consumer = consumer();
        return "consumer %s, provider %s".formatted(stateOf(consumer), stateOf(provider(consumer)));
    }

    @Override
    void settle(Instant ready, Instant deadline) {
        JsonNode consumer;
        JsonNode provider;
        while (true) {
            consumer = consumer();
            provider = provider(consumer);
            var providerEnded = ENDED.contains(provider.path("state").asText()) || refused && provider.isMissingNode();
            if (ENDED.contains(consumer.path("state").asText()) && providerEnded) {
                result.ended(ready);
                break;
            }
            if (CrashDataspace.past(deadline)) {
                break;
            }
            CrashDataspace.sleep(250);
        }
        if (result.skipped != null) {
            result.outcome = "not exercised: " + result.skipped;
            return;
        }
        var expected = expected();
        var consumerState = consumer.path("state").asText("absent");
        var providerState = provider.path("state").asText("absent");
        result.outcome = "consumer %s, provider %s".formatted(consumerState, providerState);
        // a provider that refuses the request at once keeps no negotiation of it
        var providerRight = expected.equals(providerState) || refused && provider.isMissingNode();
        if (!expected.equals(consumerState) || !providerRight) {
            result.problem("negotiation %s: expected %s on both sides%s within the bound, found consumer %s, provider %s",
                    negotiationId, expected, refused ? " (or none at the provider)" : "", stateOf(consumer), stateOf(provider));
        }
        for (var side : new Object[][]{{"consumer", consumer}, {"provider", provider}}) {
            var process = (JsonNode) side[1];
            if ("TERMINATED".equals(process.path("state").asText()) && process.path("errorDetail").asText("").isBlank()) {
                result.problem("negotiation %s is TERMINATED on the %s side with no reason on its management API", negotiationId, side[0]);
            }
        }
        if ("FINALIZED".equals(consumerState) && "FINALIZED".equals(providerState)) {
            var consumerAgreement = sharedAgreementId(Side.CONSUMER, consumer.path("contractAgreementId").asText());
            var providerAgreement = sharedAgreementId(Side.PROVIDER, provider.path("contractAgreementId").asText());
            if (consumerAgreement.isEmpty() || !consumerAgreement.equals(providerAgreement)) {
                result.problem("negotiation %s FINALIZED with different agreements: consumer '%s', provider '%s'", negotiationId,
                        consumerAgreement, providerAgreement);
            } else if (moment == Moment.AGREED && result.victim == Side.PROVIDER) {
                agreementReceiptAtTheConsumer(consumerAgreement, deadline);
            }
        }
    }

    /**
     * The provider agreed just before it was killed, likely before a signed tree head covered the decision: its
     * receipt must still reach the consumer (docs/decisions/0039, "no receipt lost between the decision and its signed
     * head"), signed and sent by the restarted provider.
     */
    private void agreementReceiptAtTheConsumer(String agreementId, Instant deadline) {
        while (true) {
            try {
                for (var receipt : dataspace.auditor(Side.CONSUMER).receipts(agreementId).path("receipts")) {
                    if ("negotiation.agreed".equals(receipt.path("event").asText()) && negotiationId.equals(receipt.path("recipientProcessId").asText())) {
                        return;
                    }
                }
            } catch (RuntimeException e) {
                // the consumer's auditor API is not answering yet: asked again until the deadline
            }
            if (CrashDataspace.past(deadline)) {
                result.problem("negotiation %s: the consumer holds no receipt of the provider's agreement %s within the bound", negotiationId, agreementId);
                return;
            }
            CrashDataspace.sleep(500);
        }
    }

    /** The protocol-level id both sides share for an agreement, from one side's own id of it. */
    private String sharedAgreementId(Side side, String localId) {
        if (localId.isEmpty()) {
            return "";
        }
        var agreement = dataspace.read(side, "/v3/contractagreements/" + localId);
        return agreement.path("agreementId").asText(agreement.path("@id").asText(""));
    }

    private JsonNode consumer() {
        return negotiationId == null ? MissingNode.getInstance()
                : dataspace.read(Side.CONSUMER, "/v3/contractnegotiations/" + negotiationId);
    }

    private JsonNode provider(JsonNode consumer) {
        if (negotiationId == null) {
            return MissingNode.getInstance();
        }
        try {
            return dataspace.providerCounterpart("/v3/contractnegotiations/request", negotiationId, consumer.path("correlationId").asText(""));
        } catch (RuntimeException e) {
            return MissingNode.getInstance();
        }
    }
}
