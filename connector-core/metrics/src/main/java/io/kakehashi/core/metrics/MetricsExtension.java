package io.kakehashi.core.metrics;

import io.kakehashi.core.api.ApiKeyAuthenticationService;
import io.kakehashi.core.spi.openapi.OpenApiDocuments;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jersey.server.MetricsApplicationEventListener;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.edc.api.auth.spi.AuthenticationRequestFilter;
import org.eclipse.edc.api.auth.spi.registry.ApiAuthenticationRegistry;
import org.eclipse.edc.connector.controlplane.contract.spi.event.contractnegotiation.ContractNegotiationEvent;
import org.eclipse.edc.connector.controlplane.contract.spi.negotiation.store.ContractNegotiationStore;
import org.eclipse.edc.connector.controlplane.transfer.spi.event.TransferProcessEvent;
import org.eclipse.edc.connector.controlplane.transfer.spi.store.TransferProcessStore;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.event.EventRouter;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.PortMapping;
import org.eclipse.edc.web.spi.configuration.PortMappingRegistry;

import java.util.Optional;

/**
 * Serves every meter of the connector in the Prometheus format on its own web context, {@value MetricsApiKey#CONTEXT},
 * with its own port, its own bind address ({@code kakehashi.web.metrics.host}, loopback by default, see
 * {@code WebBindHostExtension}) and its own key ({@link MetricsApiKey}); without a key the endpoint is off while the
 * meters are still kept. Adds a Prometheus registry to the {@link MeterRegistry} EDC's Micrometer extension provides
 * (its JVM, executor and HTTP-client meters, and Jetty's connection meters, come with it), counts the negotiation and
 * transfer state machines from EDC's events, and times the requests of every web context by URI template and status.
 * The areas bind their own meters (transfer bytes, decision-log appends, compute jobs, crawls) to the same registry.
 */
@Extension(MetricsExtension.NAME)
public class MetricsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi metrics";
    public static final String HTTP_REQUESTS = "kakehashi.http.server.requests";

    @Setting(key = "web.http." + MetricsApiKey.CONTEXT + ".port", defaultValue = "8187", description = "Port of the metrics endpoint")
    private int port;

    @Setting(key = "web.http." + MetricsApiKey.CONTEXT + ".path", defaultValue = "/metrics", description = "Path of the metrics endpoint")
    private String path;

    @Inject
    private MeterRegistry meterRegistry;
    @Inject
    private WebService webService;
    @Inject
    private PortMappingRegistry portMappings;
    @Inject
    private ApiAuthenticationRegistry authenticationRegistry;
    @Inject
    private Vault vault;
    @Inject
    private EventRouter eventRouter;
    @Inject
    private ContractNegotiationStore negotiations;
    @Inject
    private TransferProcessStore transferProcesses;
    @Inject(required = false)
    private OpenApiDocuments openApi;

    private Optional<MetricsApiKey> key = Optional.empty();
    private boolean typeConfigured;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var config = context.getConfig();
        key = MetricsApiKey.resolve(config, vault, System::getenv)
                .orElseThrow(failure -> new EdcException(failure.getFailureDetail()));
        typeConfigured = !config.getString(MetricsApiKey.TYPE_KEY, "").isBlank();
        if (!(meterRegistry instanceof CompositeMeterRegistry composite)) {
            throw new EdcException("The MeterRegistry service is not a composite registry; the metrics endpoint needs EDC's micrometer-core");
        }
        var prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        composite.add(prometheus);

        // asynchronous subscribers: counting never slows or fails a state machine's transition
        eventRouter.register(ContractNegotiationEvent.class, new NegotiationMeters(meterRegistry, negotiations));
        eventRouter.register(TransferProcessEvent.class, new TransferProcessMeters(meterRegistry, transferProcesses));

        var monitor = context.getMonitor();
        if (key.isEmpty()) {
            monitor.info("Metrics endpoint off: no key in %s or the vault ('%s')".formatted(MetricsApiKey.ENVIRONMENT_VARIABLE, MetricsApiKey.KEY_ALIAS));
            return;
        }
        portMappings.register(new PortMapping(MetricsApiKey.CONTEXT, port, path));
        webService.registerResource(MetricsApiKey.CONTEXT, new PrometheusScrapeController(prometheus));
        webService.registerResource(MetricsApiKey.CONTEXT, new JsonErrorBodyFilter());
        if (openApi != null) {
            openApi.register(MetricsApiKey.CONTEXT, "metrics", MetricsExtension.class, "/openapi/metrics.json");
        }
        monitor.info("Metrics endpoint on port %d at %s".formatted(port, path));
    }

    @Override
    public void prepare() {
        // after every initialize(): each context that this runtime serves is known now
        portMappings.getAll().forEach(mapping -> webService.registerResource(mapping.name(),
                new MetricsApplicationEventListener(meterRegistry, new ContextTagsProvider(mapping.name()), HTTP_REQUESTS, true)));
        if (key.isPresent() && !typeConfigured) {
            // with web.http.metrics.auth.type set, EDC's authentication configuration puts the filter on the context
            authenticationRegistry.register(MetricsApiKey.CONTEXT, new ApiKeyAuthenticationService(key.get().value()));
            webService.registerResource(MetricsApiKey.CONTEXT, new AuthenticationRequestFilter(authenticationRegistry, MetricsApiKey.CONTEXT));
        }
    }
}
