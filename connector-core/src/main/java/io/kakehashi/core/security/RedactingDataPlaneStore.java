package io.kakehashi.core.security;

import io.kakehashi.core.persistence.ForwardingDataPlaneStore;
import org.eclipse.edc.connector.dataplane.spi.DataFlow;
import org.eclipse.edc.connector.dataplane.spi.store.DataPlaneStore;
import org.eclipse.edc.spi.result.StoreResult;

/**
 * EDC's data-flow store with each flow's error detail redacted ({@link SecretRedactor}) as it is saved, on the flow
 * itself, before the data plane reports it to the control plane.
 * Thread-safe when the wrapped store is.
 */
public class RedactingDataPlaneStore extends ForwardingDataPlaneStore {

    private final SecretRedactor redactor;

    public RedactingDataPlaneStore(DataPlaneStore delegate, SecretRedactor redactor) {
        super(delegate);
        this.redactor = redactor;
    }

    @Override
    public StoreResult<Void> save(DataFlow flow) {
        ErrorDetails.redact(flow, redactor);
        return delegate.save(flow);
    }
}
