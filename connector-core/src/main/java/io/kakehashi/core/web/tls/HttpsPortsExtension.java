package io.kakehashi.core.web.tls;

import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.web.jetty.JettyService;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static io.kakehashi.core.spi.settings.SettingValues.nonNegativeDuration;
import static io.kakehashi.core.spi.settings.SettingValues.require;

/**
 * Serves every web context of the runtime (protocol, identity, management, control, auditor and any context added
 * later) over HTTPS with the operator's PKCS#12 keystore once {@value #KEYSTORE} is set; contexts listed in
 * {@value #PLAIN_CONTEXTS} stay plain HTTP. The keystore's password comes from the vault or the environment, never
 * from the settings. A missing, unreadable or unsuitable keystore stops the start with a message naming the setting.
 * A replaced keystore file is picked up without a restart: the file is checked every {@value #RELOAD_INTERVAL} and a
 * valid replacement serves new connections from then on.
 */
@Extension(HttpsPortsExtension.NAME)
public class HttpsPortsExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi HTTPS ports";
    public static final String KEYSTORE = "kakehashi.tls.keystore";
    public static final String PASSWORD_ALIAS = "kakehashi.tls.keystore.password-alias";
    public static final String PASSWORD_ENV = "KAKEHASHI_TLS_KEYSTORE_PASSWORD";
    public static final String HOST_NAME = "kakehashi.tls.host-name";
    public static final String PLAIN_CONTEXTS = "kakehashi.tls.plain-contexts";
    public static final String RELOAD_INTERVAL = "kakehashi.tls.keystore.reload-interval";
    static final String DSP_CALLBACK = "edc.dsp.callback.address";
    static final String CONTROL_ENDPOINT = "edc.control.endpoint";
    static final String CONTROL_CONTEXT = "control";
    /** EDC's own keystore settings; a keystore given there as well would wrap the ports in TLS twice. */
    static final String EDC_KEYSTORE = "edc.web.https.keystore.path";

    @Setting(key = KEYSTORE, required = false,
            description = "PKCS#12 keystore with this connector's TLS key and certificate; set: every web context serves HTTPS")
    private String keystorePath;
    @Setting(key = PASSWORD_ALIAS, defaultValue = "kakehashi-tls-keystore-password",
            description = "Vault alias of the keystore's password; when the vault has none, the environment variable KAKEHASHI_TLS_KEYSTORE_PASSWORD")
    private String passwordAlias;
    @Setting(key = HOST_NAME, required = false,
            description = "Host name the certificate must name (DNS or IP subject alternative name); defaults to the host of edc.dsp.callback.address")
    private String hostName;
    @Setting(key = DSP_CALLBACK, required = false, description = "The address peers send DSP messages to (EDC's)")
    private String callbackAddress;
    @Setting(key = PLAIN_CONTEXTS, required = false,
            description = "Comma-separated web contexts that stay plain HTTP (e.g. management,control behind a private bind address)")
    private String plainContexts;
    @Setting(key = RELOAD_INTERVAL, defaultValue = "PT1M",
            description = "How often the keystore file is checked for a replacement (ISO-8601 duration); PT0S: never")
    private String reloadInterval;
    @Setting(key = CONTROL_ENDPOINT, required = false,
            description = "Where the connector's own components reach its control API (EDC's); must be https:// while the control context serves HTTPS")
    private String controlEndpoint;
    @Setting(key = EDC_KEYSTORE, required = false, description = "EDC's own Jetty keystore; refused in favour of kakehashi.tls.keystore")
    private String edcKeystore;

    @Inject
    private JettyService jettyService;
    @Inject
    private Vault vault;
    @Inject
    private Monitor monitor;

    private ScheduledExecutorService reloader;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        if (keystorePath == null || keystorePath.isBlank()) {
            monitor.info("TLS: %s is not set; every web context serves plain HTTP (fine on loopback, never between hosts)".formatted(KEYSTORE));
            return;
        }
        if (edcKeystore != null && !edcKeystore.isBlank()) {
            throw new EdcException("Invalid setting '%s': the ports' keystore is set with '%s' (one keystore, per-context choice, password from the vault)"
                    .formatted(EDC_KEYSTORE, KEYSTORE));
        }
        var host = requireHostName();
        var path = Path.of(keystorePath.trim());
        var keystore = loadKeystore(path, host);
        var plain = contexts(plainContexts);
        checkControlEndpoint(plain);
        var connectors = new HttpsConnectors(keystore, password(), plain);
        jettyService.addConnectorConfigurationCallback(connectors::configure);
        context.registerService(HttpsConnectors.class, connectors);
        monitor.info("TLS: web contexts serve HTTPS with the key '%s' for '%s'%s".formatted(keystore.alias(), host,
                plain.isEmpty() ? "" : "; plain HTTP: " + String.join(", ", plain)));

        var interval = require(nonNegativeDuration(RELOAD_INTERVAL, reloadInterval));
        if (!interval.isZero()) {
            reloader = Executors.newSingleThreadScheduledExecutor(runnable -> {
                var thread = new Thread(runnable, "kakehashi-tls-keystore-reload");
                thread.setDaemon(true);
                return thread;
            });
            var reload = new KeystoreReload(path, host, this::password, connectors, monitor);
            reloader.scheduleWithFixedDelay(reload::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void shutdown() {
        if (reloader != null) {
            reloader.shutdownNow();
        }
    }

    /**
     * EDC addresses its own control API as {@code http://<edc.hostname>:<port>} unless told otherwise; once the control
     * context speaks TLS that address fails at the first data-plane call, so the start stops here and says what to do.
     */
    private void checkControlEndpoint(Set<String> plain) {
        if (plain.contains(CONTROL_CONTEXT)) {
            return;
        }
        if (controlEndpoint == null || !controlEndpoint.trim().startsWith("https://")) {
            throw new EdcException(("Invalid setting '%s': the control context serves HTTPS, so its address must be an https:// URL naming a host "
                    + "the certificate covers (e.g. https://localhost:<port>/control with localhost in the certificate), "
                    + "or add 'control' to '%s' to keep the loopback-bound control API on plain HTTP").formatted(CONTROL_ENDPOINT, PLAIN_CONTEXTS));
        }
    }

    private String requireHostName() {
        if (hostName != null && !hostName.isBlank()) {
            return hostName.trim();
        }
        if (callbackAddress != null && !callbackAddress.isBlank()) {
            try {
                var host = URI.create(callbackAddress.trim()).getHost();
                if (host != null && !host.isBlank()) {
                    return host;
                }
            } catch (IllegalArgumentException e) {
                // answered below
            }
        }
        throw new EdcException("Missing setting '%s': the host name the certificate must name (or an '%s' with a host)".formatted(HOST_NAME, DSP_CALLBACK));
    }

    private ServerKeystore loadKeystore(Path path, String host) {
        return ServerKeystore.load(path, password(), host)
                .orElseThrow(failure -> new EdcException("Invalid setting '%s': %s".formatted(KEYSTORE, failure.getFailureDetail())));
    }

    /** The keystore password from the vault, else from the environment; its absence stops the start. */
    char[] password() {
        return keystorePassword(vault, passwordAlias, System::getenv)
                .orElseThrow(failure -> new EdcException("Setting '%s': %s".formatted(KEYSTORE, failure.getFailureDetail())));
    }

    /** The vault's entry under {@code alias} when there is one, else the environment variable; never a setting. */
    static Result<char[]> keystorePassword(Vault vault, String alias, Function<String, String> environment) {
        var fromVault = vault.resolveSecret(alias);
        if (fromVault != null) {
            return Result.success(fromVault.toCharArray());
        }
        var fromEnvironment = environment.apply(PASSWORD_ENV);
        if (fromEnvironment != null) {
            return Result.success(fromEnvironment.toCharArray());
        }
        return Result.failure("no password for the keystore, neither in the vault under '%s' (%s) nor in the environment variable %s"
                .formatted(alias, PASSWORD_ALIAS, PASSWORD_ENV));
    }

    static Set<String> contexts(String list) {
        var names = new LinkedHashSet<String>();
        if (list == null) {
            return names;
        }
        Arrays.stream(list.split(",")).map(String::trim).filter(name -> !name.isEmpty()).forEach(names::add);
        return names;
    }
}
