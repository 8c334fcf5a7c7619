package io.kakehashi.ai.transfer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kakehashi.core.spi.json.JsonCodec;

import java.util.ArrayList;

/**
 * The reason a consumer's job gets when its transfer process ended without a result document, from what EDC 0.15.1
 * leaves in the process's error detail:
 * <ul>
 *   <li>the provider refused the transfer request (its {@code transfer.process} decision, an unknown agreement): EDC
 *   keeps the DSP {@code TransferError} body, whose code and reasons are read out;</li>
 *   <li>the provider terminated the process later (its data plane could not start the flow or deliver the document):
 *   EDC 0.15.1 drops a {@code TransferTerminationMessage}'s reason on the consumer, so the detail is empty and all
 *   that is known is who ended it;</li>
 *   <li>anything else (a local failure to send the request): the detail as it is.</li>
 * </ul>
 * The error body is read with {@link JsonCodec}. Stateless and thread-safe.
 */
public final class TransferEndReason {

    /** A reason shown to the vendor is bounded: an error body could be long. */
    private static final int MAX_LENGTH = 2000;

    private TransferEndReason() {
    }

    public static String of(String processErrorDetail) {
        if (processErrorDetail == null || processErrorDetail.isBlank()) {
            return "terminated by the provider before any result arrived (EDC 0.15.1 does not pass on the provider's reason;"
                    + " the provider's compute jobs and decision log show it)";
        }
        var refusal = transferError(processErrorDetail.trim());
        if (refusal != null) {
            return bounded(refusal);
        }
        return bounded("the transfer process ended without a result: " + processErrorDetail);
    }

    private static String transferError(String detail) {
        if (!detail.startsWith("{")) {
            return null;
        }
        JsonNode error;
        try {
            error = JsonCodec.reader().readTree(detail);
        } catch (JsonProcessingException e) {
            return null;
        }
        var type = error.path("@type").asText("");
        if (!type.endsWith("TransferError")) {
            return null;
        }
        var reasons = new ArrayList<String>();
        var given = error.path("reason");
        if (given.isArray()) {
            given.forEach(reason -> reasons.add(text(reason)));
        } else if (!given.isMissingNode() && !given.isNull()) {
            reasons.add(text(given));
        }
        var code = error.path("code").asText("");
        return "refused by the provider" + (code.isBlank() ? "" : " (" + code + ")")
                + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons));
    }

    private static String text(JsonNode reason) {
        return reason.isValueNode() ? reason.asText() : reason.toString();
    }

    private static String bounded(String reason) {
        return reason.length() <= MAX_LENGTH ? reason : reason.substring(0, MAX_LENGTH) + "…";
    }
}
