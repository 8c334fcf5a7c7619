package io.kakehashi.core.security;

import io.kakehashi.core.persistence.ForwardingTransferProcessStore;
import io.kakehashi.core.persistence.LeasedAfresh;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcess;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.TransferProcessStates;
import org.eclipse.edc.spi.result.StoreResult;


/**
 * EDC's transfer-process store with each process's error detail redacted ({@link SecretRedactor}) as it is saved, on
 * the process itself: the store never holds a secret, and neither does the {@code TransferTerminationMessage} the
 * state machine builds from that process's error detail for the peer.
 * Thread-safe when the wrapped store is.
 */
public class RedactingTransferProcessStore extends ForwardingTransferProcessStore {

    private final SecretRedactor redactor;
    private final TerminationReasons reasons;

    public RedactingTransferProcessStore(TransferProcessStore delegate, SecretRedactor redactor) {
        this(delegate, redactor, new TerminationReasons());
    }

    public RedactingTransferProcessStore(TransferProcessStore delegate, SecretRedactor redactor, TerminationReasons reasons) {
        super(delegate);
        this.redactor = redactor;
        this.reasons = reasons;
    }

    @Override
    public StoreResult<Void> save(TransferProcess process) {
        reasons.apply(process, TransferProcessStates.TERMINATING_REQUESTED.code());
        ErrorDetails.redact(process, redactor);
        return delegate.save(process);
    }
}
