package io.kakehashi.policy.decisionlog.runtime;

import io.kakehashi.policy.decisionlog.Receipts;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractNegotiation;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;

import java.time.Instant;
import java.util.Optional;

/**
 * Which state changes of a process are this connector's decisions about the counterparty, and what their receipt
 * states. Only the side that decided issues: the provider agrees, starts a transfer and completes one it pushed — for
 * a compute job, the release of its result (the consumer's AGREED, STARTED and COMPLETED follow the provider's
 * messages, and a pull is completed by the consumer's), the consumer accepts the agreement (its VERIFIED; the provider's follows the
 * consumer's message); a suspension or a termination is this connector's unless the counterparty's
 * message caused it (the caller leaves out changes made while handling a DSP request, {@link InboundProtocolRequests};
 * an error detail that begins {@value #BY_COUNTERPARTY}, decision 0021, is left out here as well). A process the
 * counterparty has no id for yet (no correlation id) or whose DSP address is not an http(s) URL gets no receipt.
 * Stateless and thread-safe.
 */
final class ReceiptDecisions {

    static final String BY_COUNTERPARTY = "Terminated by the counterparty";
    static final String AGREED = "negotiation.agreed";
    static final String NEGOTIATION_TERMINATED = "negotiation.terminated";
    static final String VERIFIED = "negotiation.verified";
    static final String STARTED = "transfer.started";
    static final String TRANSFER_TERMINATED = "transfer.terminated";
    static final String TRANSFER_SUSPENDED = "transfer.suspended";
    static final String TRANSFER_COMPLETED = "transfer.completed";
    private static final int MAX_REASON = 500;

    private final String participantId;

    ReceiptDecisions(String participantId) {
        this.participantId = participantId;
    }

    Optional<ReceiptIssuer.Decision> negotiation(String event, ContractNegotiation negotiation, Instant now) {
        if (negotiation == null || negotiation.getCorrelationId() == null || negotiation.getCounterPartyId() == null) {
            return Optional.empty();
        }
        var agreement = negotiation.getContractAgreement();
        DecisionOutcome outcome;
        String reason;
        switch (event) {
            case AGREED -> {
                if (negotiation.getType() != ContractNegotiation.Type.PROVIDER || agreement == null) {
                    return Optional.empty();
                }
                outcome = DecisionOutcome.PERMIT;
                reason = "the provider agreed to the contract request";
            }
            case VERIFIED -> {
                if (negotiation.getType() != ContractNegotiation.Type.CONSUMER || agreement == null) {
                    return Optional.empty();
                }
                outcome = DecisionOutcome.PERMIT;
                reason = "the consumer accepted the provider's agreement";
            }
            case NEGOTIATION_TERMINATED -> {
                if (byCounterparty(negotiation.getErrorDetail())) {
                    return Optional.empty();
                }
                outcome = DecisionOutcome.DENY;
                reason = reason("the negotiation was terminated", negotiation.getErrorDetail());
            }
            default -> {
                return Optional.empty();
            }
        }
        var agreementId = agreement == null ? null : protocolAgreementId(agreement);
        var entry = DecisionEntry.builder().time(now).scope(DecisionScope.CONTRACT_NEGOTIATION).counterpartyId(negotiation.getCounterPartyId())
                .negotiationId(negotiation.getId()).agreement(agreementId, agreement == null ? null : agreement.getId()).assetId(agreement == null ? assetOf(negotiation) : agreement.getAssetId())
                .outcome(outcome).reasons(java.util.List.of(new ConstraintReason(event, outcome, reason))).build();
        return decision(event, negotiation.getCounterPartyId(), negotiation.getId(), negotiation.getCorrelationId(), agreementId,
                negotiation.getCounterPartyAddress(), entry);
    }

    Optional<ReceiptIssuer.Decision> transfer(String event, TransferProcess process, ContractAgreement agreement, Instant now) {
        if (process == null || process.getCorrelationId() == null || agreement == null) {
            return Optional.empty();
        }
        var provider = process.getType() == TransferProcess.Type.PROVIDER;
        var counterparty = provider ? agreement.getConsumerId() : agreement.getProviderId();
        if (counterparty == null) {
            return Optional.empty();
        }
        DecisionOutcome outcome;
        String reason;
        switch (event) {
            case STARTED -> {
                if (!provider) {
                    return Optional.empty();
                }
                outcome = DecisionOutcome.PERMIT;
                reason = "the provider started the transfer";
            }
            case TRANSFER_TERMINATED -> {
                if (byCounterparty(process.getErrorDetail())) {
                    return Optional.empty();
                }
                outcome = DecisionOutcome.DENY;
                reason = reason("the transfer was terminated", process.getErrorDetail());
            }
            case TRANSFER_COMPLETED -> {
                // a pushed transfer is completed by the provider's data plane; a pull by the consumer's message
                if (!provider || process.getTransferType() == null || !process.getTransferType().endsWith("-PUSH")) {
                    return Optional.empty();
                }
                outcome = DecisionOutcome.PERMIT;
                reason = "the provider completed the transfer";
            }
            case TRANSFER_SUSPENDED -> {
                outcome = DecisionOutcome.DENY;
                reason = reason("the transfer was suspended", process.getErrorDetail());
            }
            default -> {
                return Optional.empty();
            }
        }
        var agreementId = protocolAgreementId(agreement);
        var entry = DecisionEntry.builder().time(now).scope(DecisionScope.TRANSFER_PROCESS).counterpartyId(counterparty)
                .transferId(process.getId()).agreement(agreementId, agreement.getId()).assetId(agreement.getAssetId())
                .outcome(outcome).reasons(java.util.List.of(new ConstraintReason(event, outcome, reason))).build();
        return decision(event, counterparty, process.getId(), process.getCorrelationId(), agreementId, process.getCounterPartyAddress(), entry);
    }

    /**
     * The agreement id of the DSP messages, which both sides know: a consumer keeps the provider's agreement under an
     * id of its own and the protocol's in {@code agreementId}.
     */
    static String protocolAgreementId(ContractAgreement agreement) {
        return agreement.getAgreementId() != null ? agreement.getAgreementId() : agreement.getId();
    }

    private Optional<ReceiptIssuer.Decision> decision(String event, String counterparty, String ownId, String peerId, String agreementId,
                                                      String address, DecisionEntry entry) {
        var base = address == null ? null : DecisionLogWitnessExtension.protocolBase(address);
        if (base == null) {
            return Optional.empty();
        }
        return Optional.of(new ReceiptIssuer.Decision(new Receipts.Subject(event, participantId, counterparty, ownId, peerId, agreementId), base, entry));
    }

    private static String assetOf(ContractNegotiation negotiation) {
        var offer = negotiation.getLastContractOffer();
        return offer == null ? null : offer.getAssetId();
    }

    private static boolean byCounterparty(String errorDetail) {
        return errorDetail != null && errorDetail.startsWith(BY_COUNTERPARTY);
    }

    private static String reason(String what, String detail) {
        if (detail == null || detail.isBlank()) {
            return what;
        }
        var text = what + ": " + detail;
        return text.length() > MAX_REASON ? text.substring(0, MAX_REASON) + " [cut]" : text;
    }
}
