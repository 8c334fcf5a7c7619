package io.kakehashi.policy.auditor;

import io.kakehashi.core.api.ApiAuthRule;
import io.kakehashi.core.spi.openapi.OpenApiDocuments;
import io.kakehashi.policy.decisionlog.runtime.CheckpointVerificationKey;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import io.kakehashi.policy.decisionlog.spi.DecisionLogStore;
import io.kakehashi.policy.decisionlog.spi.VerificationResult;
import io.kakehashi.policy.decisionlog.spi.WitnessStore;
import io.kakehashi.policy.decisionlog.spi.ReceiptStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.PortMapping;
import org.eclipse.edc.web.spi.configuration.PortMappingRegistry;

import java.util.function.Consumer;

/**
 * Serves the auditor API on its own web context, {@value #CONTEXT}, with its own port and its own key: EDC's
 * authentication configuration puts a filter on the context from {@code web.http.auditor.auth.*}, and this
 * extension refuses to start when that is missing, too weak, or the same key as the management API's, so an
 * operator's key never reads the log and an auditor's key never reaches the management API.
 */
@Extension(AuditorApiExtension.NAME)
public class AuditorApiExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi auditor API";
    public static final String CONTEXT = "auditor";
    static final String MANAGEMENT = "management";

    @Setting(key = "web.http." + CONTEXT + ".port", defaultValue = "8186", description = "Port of the auditor API")
    private int port;

    @Setting(key = "web.http." + CONTEXT + ".path", defaultValue = "/auditor", description = "Path of the auditor API")
    private String path;

    @Inject
    private WebService webService;
    @Inject
    private PortMappingRegistry portMappings;
    @Inject
    private DecisionLogStore store;
    @Inject
    private CheckpointStore checkpoints;
    @Inject
    private CheckpointVerificationKey key;
    @Inject(required = false)
    private MeterRegistry meterRegistry;
    @Inject(required = false)
    private OpenApiDocuments openApi;
    @Inject(required = false)
    private WitnessStore witness;
    @Inject(required = false)
    private ReceiptStore receipts;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var config = context.getConfig();
        ApiAuthRule.check(config, CONTEXT)
                .compose(ok -> ApiAuthRule.distinctKeys(config, CONTEXT, MANAGEMENT))
                .orElseThrow(failure -> new EdcException(failure.getFailureDetail()));
        portMappings.register(new PortMapping(CONTEXT, port, path));
        Consumer<VerificationResult> verified = meterRegistry == null ? result -> { } : new VerificationMeter(meterRegistry);
        webService.registerResource(CONTEXT, new AuditorApiController(store, checkpoints, key, verified, witness).receipts(receipts));
        webService.registerResource(CONTEXT, new JsonErrorResponseFilter());
        if (openApi != null) {
            openApi.register(CONTEXT, "auditor", AuditorApiExtension.class, "/openapi/auditor.json");
        }
        context.getMonitor().info("Auditor API on port %d at %s".formatted(port, path));
    }
}
