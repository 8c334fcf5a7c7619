package io.kakehashi.ai.extension;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.ai.spi.JobDescriptionJson;
import org.eclipse.edc.jsonld.spi.JsonLd;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.constants.CoreConstants;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.TypeManager;

import static io.kakehashi.core.spi.settings.SettingValues.integer;
import static io.kakehashi.core.spi.settings.SettingValues.renamed;
import static io.kakehashi.core.spi.settings.SettingValues.require;

/**
 * Lets the connector's own JSON readers (EDC's {@link TypeManager} mappers: the default one, which the SQL stores
 * use, and the JSON-LD one, which reads every DSP, management and control request) take a compute job whose model is
 * as large as {@value ComputeJobsExtension#MAX_MODEL_BYTES}. A job travels as one string in its transfer's
 * destination — the model in base64, about 4/3 of its size — and Jackson reads no string longer than 20,000,000
 * characters by default, so a model above about 14.3 MiB was refused as "not JSON" on the vendor's side and would
 * have been on the provider's. This raises the mappers' string limit to {@link JobDescriptionJson#maxChars} of the
 * setting (never lowers it). The size of a request as a whole stays bounded by the HTTP context's body limit.
 */
@Extension(ModelSizedJsonExtension.NAME)
public class ModelSizedJsonExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi JSON readers sized for compute models";

    @Setting(key = ComputeJobsExtension.MAX_MODEL_BYTES, defaultValue = "67108864",
            description = "The largest ONNX model an evaluation job may bring, in bytes; JSON strings up to its base64 (and 1 MiB) are read")
    private String maxModelBytes;

    @Inject
    private TypeManager typeManager;
    /** Injected so that EDC's JSON-LD extension, which registers the JSON-LD mapper, initialises first. */
    @Inject
    private JsonLd jsonLd;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var bytes = require(integer(ComputeJobsExtension.MAX_MODEL_BYTES, renamed(context.getConfig(), ComputeJobsExtension.MAX_MODEL_BYTES,
                ComputeJobsExtension.FORMER_MAX_MODEL_BYTES, maxModelBytes, context.getMonitor()), 1, Integer.MAX_VALUE));
        var chars = JobDescriptionJson.maxChars(bytes);
        var limit = (int) Math.min(Integer.MAX_VALUE, chars);
        allowStrings(typeManager.getMapper(), limit);
        allowStrings(typeManager.getMapper(CoreConstants.JSON_LD), limit);
    }

    /** Raises the mapper's maximum string length to {@code limit} unless it allows more already. */
    static void allowStrings(ObjectMapper mapper, int limit) {
        var factory = mapper.getFactory();
        var current = factory.streamReadConstraints();
        if (current.getMaxStringLength() < limit) {
            factory.setStreamReadConstraints(current.rebuild().maxStringLength(limit).build());
        }
    }
}
