package io.kakehashi.core.console;

import io.kakehashi.core.web.BindAddress;
import io.kakehashi.core.web.WebBindHostExtension;
import io.kakehashi.core.web.tls.HttpsConnectors;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.PortMapping;
import org.eclipse.edc.web.spi.configuration.PortMappingRegistry;

import java.net.InetAddress;
import java.net.Inet6Address;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.kakehashi.core.spi.settings.SettingValues.bytes;
import static io.kakehashi.core.spi.settings.SettingValues.port;
import static io.kakehashi.core.spi.settings.SettingValues.positiveDuration;
import static io.kakehashi.core.spi.settings.SettingValues.require;

/**
 * The web console: its static files and its same-origin forwarder to the management and auditor APIs, on a web
 * context of its own ({@value #CONTEXT}) that binds to {@code kakehashi.web.host} like every public port and serves
 * HTTPS when {@code kakehashi.tls.keystore} is set. The console has no key of its own and keeps none: the browser
 * sends the key its user typed, and the management or auditor context decides (docs/decisions/0031).
 */
@Extension(ConsoleExtension.NAME)
public class ConsoleExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi console";
    public static final String CONTEXT = "console";
    static final List<String> TARGETS = List.of("management", "auditor");
    static final String MAX_BODY = "kakehashi.console.max-body-bytes";
    static final String TIMEOUT = "kakehashi.console.api-timeout";

    @Setting(key = "web.http." + CONTEXT + ".port", defaultValue = "8188", description = "Port of the web console")
    private int consolePort;

    @Setting(key = "web.http." + CONTEXT + ".path", defaultValue = "/console", description = "Path of the web console")
    private String consolePath;

    @Setting(key = MAX_BODY, defaultValue = "4194304", description = "Largest request body the console passes on to an API (bytes)")
    private String maxBody;

    @Setting(key = TIMEOUT, defaultValue = "PT60S", description = "How long the management or auditor API may take to answer a console request")
    private String timeout;

    @Setting(key = WebBindHostExtension.HOST_KEY, defaultValue = "127.0.0.1", description = "Address every HTTP port binds to")
    private String host;

    @Inject
    private WebService webService;
    @Inject
    private PortMappingRegistry portMappings;
    @Inject(required = false)
    private HttpsConnectors https;

    private long maxBodyBytes;
    private Duration apiTimeout;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        require(port("web.http." + CONTEXT + ".port", consolePort));
        maxBodyBytes = require(bytes(MAX_BODY, maxBody, 1, 64L * 1024 * 1024));
        apiTimeout = require(positiveDuration(TIMEOUT, timeout));
        portMappings.register(new PortMapping(CONTEXT, consolePort, consolePath));
        webService.registerResource(CONTEXT, new ConsoleAssetsController(new ConsoleAssets(ConsoleExtension.class.getClassLoader())));
        context.getMonitor().info("Console on port %d at %s".formatted(consolePort, consolePath));
    }

    @Override
    public void prepare() {
        // after every initialize(): the management and auditor contexts have registered their ports
        var loopback = loopbackFor(host);
        var targets = new LinkedHashMap<String, URI>();
        var anyHttps = false;
        for (var mapping : portMappings.getAll()) {
            if (TARGETS.contains(mapping.name())) {
                var secure = https != null && https.isHttps(mapping.name());
                anyHttps |= secure;
                targets.put(mapping.name(), URI.create("%s://%s:%d%s".formatted(secure ? "https" : "http", loopback, mapping.port(), trimmed(mapping.path()))));
            }
        }
        var client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        if (anyHttps) {
            client.sslContext(OwnCertificateTrust.context(https::certificate));
        }
        webService.registerResource(CONTEXT, new ConsoleApiController(new ApiForwarder(Map.copyOf(targets), client.build(), maxBodyBytes, apiTimeout)));
    }

    /** The address the connector's own ports answer on from inside: the bind address, or loopback for a wildcard. */
    static String loopbackFor(String bindHost) {
        var parsed = BindAddress.parse(bindHost)
                .orElseThrow(failure -> new EdcException("Invalid setting '%s': %s".formatted(WebBindHostExtension.HOST_KEY, failure.getFailureDetail())));
        try {
            var address = InetAddress.getByName(parsed);
            if (address.isAnyLocalAddress()) {
                return address instanceof Inet6Address ? "[::1]" : "127.0.0.1";
            }
            return address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        } catch (UnknownHostException e) {
            throw new EdcException("Invalid setting '%s': the address does not resolve".formatted(WebBindHostExtension.HOST_KEY));
        }
    }

    private static String trimmed(String path) {
        var value = path == null ? "" : path;
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        return value;
    }
}
