package io.kakehashi.policy.constraints;

import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.TypeManager;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.ApiContext;

import static org.eclipse.edc.spi.constants.CoreConstants.JSON_LD;

/**
 * Lets policies on the management API give numbers and booleans as JSON literals ({@link RightOperandLiteralInterceptor}).
 */
@Extension(RightOperandLiteralExtension.NAME)
public class RightOperandLiteralExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi right-operand literals";

    @Inject
    private WebService webService;
    @Inject
    private TypeManager typeManager;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        webService.registerResource(ApiContext.MANAGEMENT, new RightOperandLiteralInterceptor(() -> typeManager.getMapper(JSON_LD)));
    }
}
