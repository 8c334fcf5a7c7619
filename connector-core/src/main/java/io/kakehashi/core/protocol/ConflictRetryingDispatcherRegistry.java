package io.kakehashi.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.kakehashi.core.spi.json.JsonCodec;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreementMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractNegotiationEventMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferCompletionMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferStartMessage;
import org.eclipse.edc.spi.message.RemoteMessageDispatcher;
import org.eclipse.edc.spi.message.RemoteMessageDispatcherRegistry;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.response.ResponseStatus;
import org.eclipse.edc.spi.response.StatusResult;
import org.eclipse.edc.spi.types.domain.message.RemoteMessage;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * EDC's dispatcher registry, sending again a message that a peer refused with a {@code 409} because it had not yet
 * saved its own preceding transition. A stock EDC 0.15.1 consumer saves REQUESTED only once the provider answered its
 * request; a provider woken on work sends its agreement within milliseconds, which can reach the consumer first, and
 * EDC answers that with a 409 its dispatcher counts as final: the provider TERMINATES a negotiation both sides
 * wanted (seen in the interop tests against a stock consumer). The same holds for an event (FINALIZED) overtaking the
 * consumer's VERIFIED, a transfer start overtaking the consumer's REQUESTED and a completion overtaking the
 * provider's STARTED. For these messages a {@code 409} in EDC's error shape ({@code "code": "409"}) is turned into
 * a retryable failure, so that EDC's state machine sends the message again with its send backoff
 * ({@code edc.negotiation.*.send.retry.*}, {@code edc.transfer.send.retry.*}) and terminates only after that is
 * exhausted. Every other answer, and a 409 to any other message, passes through unchanged. Kakehashi peers do not
 * answer these races with a 409 ({@link OrderedContractNegotiationProtocolService},
 * {@link OrderedTransferProcessProtocolService}); this is for peers that do. Thread-safe when the delegate is.
 */
public class ConflictRetryingDispatcherRegistry implements RemoteMessageDispatcherRegistry {

    private final RemoteMessageDispatcherRegistry delegate;
    private final Monitor monitor;

    public ConflictRetryingDispatcherRegistry(RemoteMessageDispatcherRegistry delegate, Monitor monitor) {
        this.delegate = delegate;
        this.monitor = monitor;
    }

    @Override
    public void register(String protocol, RemoteMessageDispatcher dispatcher) {
        delegate.register(protocol, dispatcher);
    }

    @Override
    public <T> CompletableFuture<StatusResult<T>> dispatch(String participantContextId, Class<T> responseType, RemoteMessage message) {
        var sent = delegate.dispatch(participantContextId, responseType, message);
        if (!mayOvertake(message)) {
            return sent;
        }
        return sent.thenApply(result -> {
            if (result != null && result.fatalError() && isConflict(result.getFailureDetail())) {
                monitor.debug(() -> "%s refused with 409 by %s, which may not have saved its preceding transition yet: sent again later"
                        .formatted(message.getClass().getSimpleName(), message.getCounterPartyAddress()));
                return StatusResult.failure(ResponseStatus.ERROR_RETRY, result.getFailureDetail());
            }
            return result;
        });
    }

    /** The messages that answer a peer's request and can reach it before it saved the request as sent. */
    private static boolean mayOvertake(RemoteMessage message) {
        return message instanceof ContractAgreementMessage || message instanceof ContractNegotiationEventMessage
                || message instanceof TransferStartMessage || message instanceof TransferCompletionMessage;
    }

    /** Whether a refusal's body is EDC's DSP error with code 409. */
    static boolean isConflict(String body) {
        if (body == null || body.isBlank()) {
            return false;
        }
        try {
            JsonNode error = JsonCodec.reader().readTree(body);
            return error != null && error.isObject() && "409".equals(error.path("code").asText());
        } catch (IOException e) {
            return false;
        }
    }
}
