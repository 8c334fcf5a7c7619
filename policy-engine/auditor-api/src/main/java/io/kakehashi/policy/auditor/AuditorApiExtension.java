package io.kakehashi.policy.auditor;

import io.kakehashi.core.api.ApiAuthRule;
import io.kakehashi.core.api.ApiKeyAlternatives;
import io.kakehashi.core.api.TokenBasedAuthenticationExtension;
import io.kakehashi.identity.spi.SignedRequestVerifier;
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
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.system.configuration.Config;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.PortMapping;
import org.eclipse.edc.web.spi.configuration.PortMappingRegistry;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * Serves the auditor API on its own web context, {@value #CONTEXT}, with its own port and its own key: EDC's
 * authentication configuration puts a filter on the context from {@code web.http.auditor.auth.*}, and this
 * extension refuses to start when that is missing, too weak, or the same key as the management API's, so an
 * operator's key never reads the log and an auditor's key never reaches the management API. Besides the key, an
 * auditor may come with its auditor credential in a signed request ({@link AuditorCredentialFilter}) where the
 * connector's identity can verify one (the DCP identity) and {@value #CREDENTIALS_ENABLED} is not {@code false}.
 */
@Extension(AuditorApiExtension.NAME)
public class AuditorApiExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi auditor API";
    public static final String CONTEXT = "auditor";
    static final String MANAGEMENT = "management";
    static final String CREDENTIALS_ENABLED = "kakehashi.auditor.credentials.enabled";

    @Setting(key = "web.http." + CONTEXT + ".port", defaultValue = "8186", description = "Port of the auditor API")
    private int port;

    @Setting(key = "web.http." + CONTEXT + ".path", defaultValue = "/auditor", description = "Path of the auditor API")
    private String path;

    @Setting(key = CREDENTIALS_ENABLED, required = false,
            description = "Let auditors in with an auditor credential in a signed request besides the API key: on by default where the "
                    + "connector's identity verifies credentials (DCP); true where it cannot fails the start; false for the key only")
    private String credentialsEnabled;

    @Setting(key = "edc.participant.id", description = "This connector's participant id, which an auditor credential's scope names (or its DID)")
    private String participantId;

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
    @Inject(required = false)
    private SignedRequestVerifier signedRequests;
    @Inject(required = false)
    private ApiKeyAlternatives apiKeyAlternatives;
    @Inject
    private Clock clock;

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
        webService.registerResource(CONTEXT, new AuditorReadsLog(context.getMonitor().withPrefix("Auditor reads")));
        if (auditorCredentials(config, context.getMonitor())) {
            var admitted = new AdmittedAuditorRequests(clock);
            apiKeyAlternatives.register(CONTEXT, admitted);
            webService.registerResource(CONTEXT, new AuditorCredentialFilter(signedRequests, new AuditorAccess(participantId), admitted, context.getMonitor()));
        }
        if (openApi != null) {
            openApi.register(CONTEXT, "auditor", AuditorApiExtension.class, "/openapi/auditor.json");
        }
        context.getMonitor().info("Auditor API on port %d at %s".formatted(port, path));
    }

    /** Whether auditors may come with credentials; a setting asking for it where it cannot be done fails the start. */
    private boolean auditorCredentials(Config config, Monitor monitor) {
        var problem = signedRequests == null ? "the connector's identity verifies no credentials (use the DCP identity)"
                : apiKeyAlternatives == null ? "the runtime has no Kakehashi token-based authentication"
                : !TokenBasedAuthenticationExtension.TYPE.equals(config.getString(ApiAuthRule.typeKey(CONTEXT), "").trim())
                ? "'%s' is not '%s'".formatted(ApiAuthRule.typeKey(CONTEXT), TokenBasedAuthenticationExtension.TYPE) : null;
        var enabled = credentialsEnabled(credentialsEnabled, problem).orElseThrow(failure -> new EdcException(failure.getFailureDetail()));
        monitor.info(enabled ? "Auditor API: auditors may also come with an auditor credential (%s)".formatted(CREDENTIALS_ENABLED)
                : "Auditor API: the API key only (%s)".formatted(problem == null ? CREDENTIALS_ENABLED + " is false" : problem));
        return enabled;
    }

    /**
     * The {@value #CREDENTIALS_ENABLED} rule: unset is on where nothing stands in the way ({@code problem} null) and
     * off where something does; {@code true} where something does is a failure naming the setting and the problem;
     * {@code false} is off; any other value a failure.
     */
    static Result<Boolean> credentialsEnabled(String setting, String problem) {
        var value = setting == null ? "" : setting.trim();
        return switch (value) {
            case "false" -> Result.success(false);
            case "" -> Result.success(problem == null);
            case "true" -> problem == null ? Result.success(true)
                    : Result.failure("Invalid setting '%s': auditor credentials cannot be verified: %s".formatted(CREDENTIALS_ENABLED, problem));
            default -> Result.failure("Invalid setting '%s': true or false, not '%s'".formatted(CREDENTIALS_ENABLED, value));
        };
    }
}
