package io.kakehashi.core.security;

import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferTerminationMessage;
import org.eclipse.edc.spi.query.Criterion;
import org.eclipse.edc.spi.query.QuerySpec;
import org.eclipse.edc.spi.result.StoreResult;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RedactingStoresTest {

    private final SecretRedactor redactor = new SecretRedactor();

    RedactingStoresTest() {
        redactor.addSource(new SecretRedactorTest.MutableSource(List.of(SecretRedactorTest.JWK)));
    }

    @Test
    void save_whenTheErrorDetailQuotesASecret_shouldStoreItRedactedAndRedactTheProcessItself() {
        var saved = new HashMap<String, TransferProcess>();
        var store = new RedactingTransferProcessStore(new MapStore(saved), redactor);
        var process = TransferProcess.Builder.newInstance().id("tp-1").type(TransferProcess.Type.PROVIDER)
                .errorDetail("Field 'token' not found in the secret serialized as json: " + SecretRedactorTest.JWK).build();

        store.save(process);

        assertThat(saved.get("tp-1").getErrorDetail()).doesNotContain(SecretRedactorTest.JWK_D).contains(SecretRedactor.REDACTED);
        // the termination message the state machine builds from this process carries the redacted text too
        assertThat(process.getErrorDetail()).doesNotContain(SecretRedactorTest.JWK_D);
    }

    @Test
    void save_whenATerminationIsHandled_shouldSetTheReasonRedactedOnThatProcessOnly() {
        var saved = new HashMap<String, TransferProcess>();
        var reasons = new TerminationReasons();
        var store = new RedactingTransferProcessStore(new MapStore(saved), redactor, reasons);
        var message = TransferTerminationMessage.Builder.newInstance().consumerPid("c-1").providerPid("p-1")
                .protocol("dsp").counterPartyAddress("http://peer").reason("[\"peer says " + SecretRedactorTest.JWK_D + "\"]").build();
        var terminated = process("c-1", TransferProcessStates.TERMINATING_REQUESTED);
        var other = process("c-2", TransferProcessStates.TERMINATING_REQUESTED);
        var notYet = process("c-1", TransferProcessStates.STARTED);

        reasons.during(message, CounterpartyReason.describe(message.getReason(), null), () -> {
            store.save(notYet);
            store.save(other);
            store.save(terminated);
            return null;
        });
        var later = process("c-1", TransferProcessStates.TERMINATING_REQUESTED);
        store.save(later);

        assertThat(notYet.getErrorDetail()).isNull();
        assertThat(other.getErrorDetail()).isNull();
        assertThat(terminated.getErrorDetail()).startsWith("Terminated by the counterparty: peer says ")
                .contains(SecretRedactor.REDACTED).doesNotContain(SecretRedactorTest.JWK_D);
        assertThat(later.getErrorDetail()).as("no reason outside the handling").isNull();
    }

    @Test
    void webContexts_shouldNameEveryConfiguredContextOnce() {
        var config = ConfigFactory.fromMap(Map.of("web.http.port", "1", "web.http.path", "/api", "web.http.management.port", "2",
                "web.http.management.auth.type", "tokenbased", "web.http.protocol.port", "3", "web.http.control.port", "4"));

        assertThat(RedactingErrorResponsesExtension.webContexts(config)).containsExactly("control", "default", "management", "protocol");
    }

    private static TransferProcess process(String id, TransferProcessStates state) {
        return TransferProcess.Builder.newInstance().id(id).state(state.code()).type(TransferProcess.Type.CONSUMER).build();
    }

    private record MapStore(Map<String, TransferProcess> saved) implements TransferProcessStore {

        @Override
        public StoreResult<Void> save(TransferProcess process) {
            saved.put(process.getId(), process.copy());
            return StoreResult.success();
        }

        @Override
        public TransferProcess findForCorrelationId(String correlationId) {
            return null;
        }

        @Override
        public StoreResult<Void> delete(String id) {
            return StoreResult.success();
        }

        @Override
        public Stream<TransferProcess> findAll(QuerySpec querySpec) {
            return saved.values().stream();
        }

        @Override
        public TransferProcess findById(String id) {
            return saved.get(id);
        }

        @Override
        public List<TransferProcess> nextNotLeased(int max, Criterion... criteria) {
            return List.of();
        }

        @Override
        public StoreResult<TransferProcess> findByIdAndLease(String id) {
            return StoreResult.notFound(id);
        }
    }
}
