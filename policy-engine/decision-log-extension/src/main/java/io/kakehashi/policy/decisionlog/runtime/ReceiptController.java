package io.kakehashi.policy.decisionlog.runtime;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.core.spi.web.HttpProblem;
import io.kakehashi.core.spi.web.JwsBodyReader;
import io.kakehashi.policy.decisionlog.ReceiptKeys;
import io.kakehashi.policy.decisionlog.Receipts;
import io.kakehashi.policy.decisionlog.spi.CheckpointKey;
import io.kakehashi.policy.decisionlog.spi.Receipt;
import io.kakehashi.policy.decisionlog.spi.ReceiptStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;

import java.io.IOException;
import java.io.InputStream;
import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Where a counterparty sends the receipt of a decision it made about a process shared with this connector
 * ({@code POST /decision-log/v1/receipts}, {@code {"receipt": "<compact JWS>"}}, on the protocol context; see
 * docs/decisions/0039). A receipt is kept only when it names a process of this connector ({@code recipientProcessId})
 * whose counterparty is the issuer and whose counterparty process id and agreement are the ones it states, and it
 * verifies with the issuer's key — taken from the key history the issuer serves at the DSP address this connector
 * holds for the process (never an address the receipt names; read again only for a key it has not served before,
 * {@link KnownKeyHistories}), pinned from the issuer's earlier receipts, and checked
 * against the issuer's DID document when its key id is a DID URL — with its entry included in its signed tree head.
 * Answers: 200 kept (or kept already); 400 malformed, forged or not about the process it names; 403 from someone who
 * is not the process's counterparty; 409 another receipt for the same position of the issuer's log is kept; 413 over
 * {@value #MAX_BYTES} bytes; 503 the issuer's key history cannot be read now (the issuer tries again). Every refusal has
 * EDC's error shape ({@link HttpProblem}). Thread-safe.
 */
public class ReceiptController {

    static final int MAX_BYTES = 64 * 1024;
    /** Counterparties whose key history is kept between their receipts ({@link KnownKeyHistories}). */
    static final int KEPT_KEY_HISTORIES = 1_000;
    private static final JwsBodyReader RECEIPT_BODY = new JwsBodyReader("receipt", MAX_BYTES);

    /**
     * Reads a peer's key history from its protocol base URL.
     */
    @FunctionalInterface
    interface KeyHistories {
        List<CheckpointKey> keys(String peerBase) throws IOException;
    }

    private record Process(String counterpartyId, String correlationId, String address, String agreementId) {
    }

    private final String participantId;
    private final ContractNegotiationStore negotiations;
    private final TransferProcessStore transfers;
    private final KnownKeyHistories histories;
    private final DidKeys didKeys;
    private final ReceiptStore receipts;
    private final Clock clock;

    ReceiptController(String participantId, ContractNegotiationStore negotiations, TransferProcessStore transfers, KeyHistories histories,
                      DidKeys didKeys, ReceiptStore receipts, Clock clock) {
        this.participantId = participantId;
        this.negotiations = negotiations;
        this.transfers = transfers;
        this.histories = new KnownKeyHistories(histories, KEPT_KEY_HISTORIES);
        this.didKeys = didKeys;
        this.receipts = receipts;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(InputStream body) {
        var read = RECEIPT_BODY.read(body);
        if (read.failed()) {
            return PublicLogController.answer(read.problem());
        }
        var jws = read.jws();
        try {
            return accept(jws);
        } catch (IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage());
        }
    }

    private Response accept(String jws) {
        var claimed = Receipts.claimed(jws);
        if (!Receipts.EVENTS.contains(claimed.event())) {
            return error(Response.Status.BAD_REQUEST, "the receipt's event is not one of " + Receipts.EVENTS);
        }
        if (!claimed.recipient().equals(participantId)) {
            return error(Response.Status.BAD_REQUEST, "the receipt is addressed to another participant");
        }
        var process = process(claimed.event(), claimed.recipientProcessId());
        if (process.isEmpty()) {
            return error(Response.Status.BAD_REQUEST, "the receipt names no process of this connector (recipientProcessId)");
        }
        if (!claimed.issuer().equals(process.get().counterpartyId())) {
            return error(Response.Status.FORBIDDEN, "the receipt's issuer is not the counterparty of the process it names");
        }
        if (!claimed.issuerProcessId().equals(process.get().correlationId())) {
            return error(Response.Status.BAD_REQUEST, "the receipt's issuerProcessId is not the counterparty's id of the process");
        }
        var agreement = process.get().agreementId();
        if (agreement != null && claimed.agreementId() != null && !agreement.equals(claimed.agreementId())) {
            return error(Response.Status.BAD_REQUEST, "the receipt's agreementId is not the agreement of the process");
        }
        var base = process.get().address() == null ? null : DecisionLogWitnessExtension.protocolBase(process.get().address());
        if (base == null) {
            return error(Response.Status.BAD_REQUEST, "the process holds no http(s) address of the issuer to read its keys from");
        }
        var kid = Receipts.keyId(jws).orElse(null);
        List<CheckpointKey> history;
        try {
            history = histories.holding(base, kid);
        } catch (IOException e) {
            var problem = HttpProblem.unavailable("the issuer's key history cannot be read now");
            return Response.status(problem.status()).header("Retry-After", "5").type(MediaType.APPLICATION_JSON).entity(problem.body()).build();
        }
        var pinned = receipts.lastOf(claimed.issuer()).map(Receipt::issuerKey);
        var receipt = Receipts.verify(jws, ReceiptKeys.of(history, pinned), clock.instant());
        if (didKeys.canResolve(kid)) {
            var problem = didKeys.problem(kid, key(receipt.issuerKey()));
            if (problem.isPresent()) {
                return error(Response.Status.FORBIDDEN, problem.get());
            }
        }
        var saved = receipts.save(receipt);
        if (saved == ReceiptStore.Saved.CONFLICT) {
            return error(Response.Status.CONFLICT, "another receipt for entry %d of the issuer's log is kept".formatted(receipt.sequence()));
        }
        var answer = JsonNodeFactory.instance.objectNode();
        answer.put("kept", true);
        answer.put("sequence", receipt.sequence());
        return Response.ok(answer.toString(), MediaType.APPLICATION_JSON).build();
    }

    private Optional<Process> process(String event, String id) {
        if (event.startsWith("negotiation.")) {
            var negotiation = negotiations == null ? null : negotiations.findById(id);
            if (negotiation == null) {
                return Optional.empty();
            }
            var agreement = negotiation.getContractAgreement();
            return Optional.of(new Process(negotiation.getCounterPartyId(), negotiation.getCorrelationId(), negotiation.getCounterPartyAddress(),
                    agreement == null ? null : ReceiptDecisions.protocolAgreementId(agreement)));
        }
        var transfer = transfers == null ? null : transfers.findById(id);
        if (transfer == null) {
            return Optional.empty();
        }
        var agreement = negotiations == null || transfer.getContractId() == null ? null : negotiations.findContractAgreement(transfer.getContractId());
        if (agreement == null) {
            return Optional.empty();
        }
        var counterparty = transfer.getType() == org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess.Type.PROVIDER
                ? agreement.getConsumerId() : agreement.getProviderId();
        return Optional.of(new Process(counterparty, transfer.getCorrelationId(), transfer.getCounterPartyAddress(),
                ReceiptDecisions.protocolAgreementId(agreement)));
    }

    private static ECKey key(String jwk) {
        try {
            return ECKey.parse(jwk);
        } catch (ParseException e) {
            throw new IllegalArgumentException("the issuer's key is not an EC JWK");
        }
    }

    private static Response error(Response.Status status, String message) {
        return PublicLogController.answer(HttpProblem.of(status.getStatusCode(), message));
    }
}
