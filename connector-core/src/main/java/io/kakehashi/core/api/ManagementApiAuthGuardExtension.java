package io.kakehashi.core.api;

import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

/**
 * Stops start-up when the management API would be served without authentication. Stock EDC serves it open when
 * no authentication is configured; a Kakehashi connector refuses to start instead.
 */
@Extension(ManagementApiAuthGuardExtension.NAME)
public class ManagementApiAuthGuardExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi management API authentication guard";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        ManagementApiAuthRule.check(context.getConfig())
                .orElseThrow(failure -> new EdcException(failure.getFailureDetail()));
    }
}
