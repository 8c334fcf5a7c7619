package io.kakehashi.policy.constraints.agreement;

import io.kakehashi.policy.spi.AgreementStatus;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Validator;
import org.eclipse.edc.validator.spi.Violation;

import java.util.Objects;

import static org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferRequest.TRANSFER_REQUEST_CONTRACT_ID;

/**
 * The consumer's side of the rule: a transfer request on the management API ({@code POST /v3/transferprocesses}, in
 * expanded JSON-LD) is refused with a 400 that says why when its {@code contractId} names an agreement that
 * {@link AgreementStatus} says can no longer be used. A request without a contract id passes: EDC's own validator of
 * the type reports that. Given {@link ConsumerTransferDecisions}, each decision is an entry in the decision log (the
 * consumer's own decision: its log is not only the provider's), and one that cannot be recorded refuses the request
 * with a server error. Thread-safe.
 */
public final class UsableAgreementTransferRequest implements Validator<JsonObject> {

    private static final String VALUE = "@value";

    private final AgreementStatus status;
    private final ConsumerTransferDecisions decisions;

    public UsableAgreementTransferRequest(AgreementStatus status) {
        this(status, null);
    }

    /**
     * @param decisions where each decision is recorded; null when the runtime has no decision log
     */
    public UsableAgreementTransferRequest(AgreementStatus status, ConsumerTransferDecisions decisions) {
        this.status = Objects.requireNonNull(status, "status");
        this.decisions = decisions;
    }

    @Override
    public ValidationResult validate(JsonObject request) {
        var contractId = contractId(request.get(TRANSFER_REQUEST_CONTRACT_ID));
        if (contractId == null) {
            return ValidationResult.success();
        }
        var usable = status.usable(contractId);
        if (decisions != null) {
            decisions.record(contractId, usable);
        }
        return usable.succeeded() ? ValidationResult.success()
                : ValidationResult.failure(Violation.violation(usable.getFailureDetail(), TRANSFER_REQUEST_CONTRACT_ID, contractId));
    }

    // expanded JSON-LD: [{"@value": "<id>"}]
    private static String contractId(JsonValue value) {
        if (value instanceof JsonArray array && array.size() == 1) {
            value = array.get(0);
        }
        if (value instanceof JsonObject object && object.get(VALUE) instanceof JsonString string) {
            return string.getString();
        }
        return value instanceof JsonString string ? string.getString() : null;
    }
}
