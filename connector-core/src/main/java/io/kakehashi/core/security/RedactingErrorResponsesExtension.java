package io.kakehashi.core.security;

import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.system.configuration.Config;
import org.eclipse.edc.web.spi.WebService;

import java.util.Set;
import java.util.TreeSet;

/**
 * Registers the {@link RedactingErrorResponseFilter} on every HTTP context the runtime configures
 * ({@code web.http.port} is the {@code default} context, {@code web.http.<name>.port} the context {@code <name>}), so
 * no error answer of any API (management, DSP, control, identity, auditor, ...) carries a secret.
 */
@Extension(RedactingErrorResponsesExtension.NAME)
public class RedactingErrorResponsesExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi redacting error responses";

    @Inject
    private WebService webService;
    @Inject
    private SecretRedactor redactor;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var filter = new RedactingErrorResponseFilter(redactor);
        for (var alias : webContexts(context.getConfig())) {
            webService.registerResource(alias, filter);
        }
    }

    /** The aliases of the configured web contexts. */
    static Set<String> webContexts(Config config) {
        var aliases = new TreeSet<String>();
        for (var key : config.getEntries().keySet()) {
            if (key.equals("web.http.port")) {
                aliases.add("default");
            } else if (key.startsWith("web.http.") && key.endsWith(".port")) {
                var alias = key.substring("web.http.".length(), key.length() - ".port".length());
                if (!alias.isEmpty() && !alias.contains(".")) {
                    aliases.add(alias);
                }
            }
        }
        return aliases;
    }
}
