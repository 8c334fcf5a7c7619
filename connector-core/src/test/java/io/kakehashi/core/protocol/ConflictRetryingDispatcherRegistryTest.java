package io.kakehashi.core.protocol;

import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreementMessage;
import org.eclipse.edc.connector.controlplane.contract.spi.types.negotiation.ContractRequestMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferStartMessage;
import org.eclipse.edc.spi.message.RemoteMessageDispatcher;
import org.eclipse.edc.spi.message.RemoteMessageDispatcherRegistry;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.spi.response.ResponseStatus;
import org.eclipse.edc.spi.response.StatusResult;
import org.eclipse.edc.spi.types.domain.message.RemoteMessage;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** A peer's 409 to a message that may have overtaken the peer's own save is sent again; nothing else changes. */
class ConflictRetryingDispatcherRegistryTest {

    private static final String CONFLICT = """
            {"@type":"ContractNegotiationError","code":"409","reason":["Cannot process ContractAgreementMessage because negotiation cannot be agreed"]}""";
    private static final String BAD_REQUEST = """
            {"@type":"ContractNegotiationError","code":"400","reason":["Bad request"]}""";

    private StatusResult<Object> answer = StatusResult.success("ok");

    private final RemoteMessageDispatcherRegistry peer = new RemoteMessageDispatcherRegistry() {
        @Override
        public void register(String protocol, RemoteMessageDispatcher dispatcher) {
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> CompletableFuture<StatusResult<T>> dispatch(String participantContextId, Class<T> responseType, RemoteMessage message) {
            return CompletableFuture.completedFuture((StatusResult<T>) answer);
        }
    };
    private final ConflictRetryingDispatcherRegistry registry = new ConflictRetryingDispatcherRegistry(peer, new ConsoleMonitor());

    @Test
    void agreement_refusedWithAConflict_shouldBeSentAgainLater() {
        answer = StatusResult.failure(ResponseStatus.FATAL_ERROR, CONFLICT);

        var result = registry.dispatch("ctx", Object.class, agreement()).join();

        assertThat(result.failed()).isTrue();
        assertThat(result.fatalError()).as("retryable").isFalse();
        assertThat(result.getFailure().status()).isEqualTo(ResponseStatus.ERROR_RETRY);
        assertThat(result.getFailureDetail()).isEqualTo(CONFLICT);
    }

    @Test
    void transferStart_refusedWithAConflict_shouldBeSentAgainLater() {
        answer = StatusResult.failure(ResponseStatus.FATAL_ERROR, CONFLICT);

        var start = TransferStartMessage.Builder.newInstance().consumerPid("c").providerPid("p").processId("p")
                .protocol("dataspace-protocol-http:2025-1").counterPartyAddress("http://peer.example").build();

        assertThat(registry.dispatch("ctx", Object.class, start).join().getFailure().status()).isEqualTo(ResponseStatus.ERROR_RETRY);
    }

    @Test
    void agreement_refusedOtherwise_shouldStayFinal() {
        answer = StatusResult.failure(ResponseStatus.FATAL_ERROR, BAD_REQUEST);
        assertThat(registry.dispatch("ctx", Object.class, agreement()).join().fatalError()).isTrue();

        answer = StatusResult.failure(ResponseStatus.FATAL_ERROR, "<html>409 Conflict</html>");
        assertThat(registry.dispatch("ctx", Object.class, agreement()).join().fatalError()).as("not EDC's error shape").isTrue();
    }

    @Test
    void request_refusedWithAConflict_shouldStayFinal() {
        answer = StatusResult.failure(ResponseStatus.FATAL_ERROR, CONFLICT);

        var request = ContractRequestMessage.Builder.newInstance().consumerPid("c").processId("c").contractOffer(MessageOrderFixtures.offer())
                .protocol("dataspace-protocol-http:2025-1").counterPartyAddress("http://peer.example").callbackAddress("http://me.example").build();

        assertThat(registry.dispatch("ctx", Object.class, request).join().fatalError()).isTrue();
    }

    @Test
    void successAndRetryableFailures_shouldPassThrough() {
        assertThat(registry.dispatch("ctx", Object.class, agreement()).join().succeeded()).isTrue();

        answer = StatusResult.failure(ResponseStatus.ERROR_RETRY, "503");
        assertThat(registry.dispatch("ctx", Object.class, agreement()).join().getFailure().status()).isEqualTo(ResponseStatus.ERROR_RETRY);
    }

    private static ContractAgreementMessage agreement() {
        return ContractAgreementMessage.Builder.newInstance().consumerPid("c").providerPid("p").processId("p")
                .contractAgreement(MessageOrderFixtures.agreement("agreement-1", "use"))
                .protocol("dataspace-protocol-http:2025-1").counterPartyAddress("http://peer.example").build();
    }
}
