package io.kakehashi.core.web.guard;

import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.TypeManager;
import org.eclipse.edc.validator.spi.JsonObjectValidatorRegistry;
import org.eclipse.edc.web.spi.WebService;

import static org.eclipse.edc.spi.constants.CoreConstants.JSON_LD;

/**
 * Puts the request guard in front of every HTTP context the runtime configures: {@link RequestEnvelopeFilter} (body
 * size, control characters in the path), {@link JsonBodyInterceptor} (JSON read before EDC reads it),
 * {@link ExpandedBodyInterceptor} (ids, DSP messages and queries) and {@link RequestFailureExceptionMapper} (exceptions from
 * malformed input answered 4xx), so that a malformed request gets a 4xx saying what is wrong, before and after
 * authentication.
 */
@Extension(RequestGuardExtension.NAME)
public class RequestGuardExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi request guard";

    @Setting(key = RequestGuardSettings.MAX_BODY_BYTES, required = false, defaultValue = "4194304",
            description = "Largest request body of any HTTP context without a limit of its own (kakehashi.web.guard.<context>.max-body-bytes)")
    private String maxBodyBytes;
    @Setting(key = RequestGuardSettings.MAX_JSON_DEPTH, required = false, defaultValue = "100",
            description = "Deepest nesting of objects and arrays in a JSON request body")
    private String maxJsonDepth;
    @Setting(key = RequestGuardSettings.MAX_ID_LENGTH, required = false, defaultValue = "512",
            description = "Longest id (@id, consumerPid, agreementId, …) a counterparty or a management caller may choose")
    private String maxIdLength;

    @Inject
    private WebService webService;
    @Inject
    private JsonObjectValidatorRegistry validatorRegistry;
    @Inject
    private TypeManager typeManager;

    /** The DSP context: its requests' bodies are digested for {@link RequestBodyDigest}. */
    static final String PROTOCOL_CONTEXT = "protocol";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var monitor = context.getMonitor().withPrefix("RequestGuard");
        var settings = RequestGuardSettings.from(context.getConfig(), monitor);
        var idRule = new IdRule(settings.maxIdLength());
        var classifier = new RequestFailureClassifier();
        DspMessageShapes.register(validatorRegistry);
        QuerySpecShape.register(validatorRegistry);
        for (var entry : settings.limits().entrySet()) {
            var limit = entry.getValue();
            webService.registerResource(entry.getKey(), new RequestEnvelopeFilter(limit));
            webService.registerResource(entry.getKey(), new JsonBodyInterceptor(new JsonBodyScanner(settings.maxJsonDepth(), limit.largest()),
                    PROTOCOL_CONTEXT.equals(entry.getKey())));
            webService.registerResource(entry.getKey(), new ExpandedBodyInterceptor(idRule, () -> typeManager.getMapper(JSON_LD), validatorRegistry));
            webService.registerResource(entry.getKey(), new RequestFailureExceptionMapper(classifier, monitor));
        }
        monitor.debug(() -> "Guarding contexts %s".formatted(settings.limits()));
    }
}
