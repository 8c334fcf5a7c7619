package io.kakehashi.core.security;

import org.eclipse.edc.runtime.metamodel.annotation.BaseExtension;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/**
 * Provides the {@link SecretRedactor} (the vault adds itself as a source when it opens) and puts a
 * {@link RedactingMonitor} in place of the runtime's monitor, so every extension initialized after this one logs
 * through it. A base extension: it runs before EDC's core, control-plane and data-plane extensions take their monitor.
 */
@BaseExtension
@Extension(SecretRedactionExtension.NAME)
public class SecretRedactionExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi secret redaction";

    private final SecretRedactor redactor = new SecretRedactor();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var monitor = context.getMonitor();
        if (!(monitor instanceof RedactingMonitor)) {
            context.registerService(Monitor.class, new RedactingMonitor(monitor, redactor));
        }
    }

    @Provider
    public SecretRedactor secretRedactor() {
        return redactor;
    }
}
