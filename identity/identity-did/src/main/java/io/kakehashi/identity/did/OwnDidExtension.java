package io.kakehashi.identity.did;

import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.identity.spi.ConnectorSigningKey;

import okhttp3.OkHttpClient;
import org.eclipse.edc.iam.did.spi.resolution.DidResolverRegistry;
import org.eclipse.edc.runtime.metamodel.annotation.Configuration;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.runtime.metamodel.annotation.Settings;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.TypeManager;
import org.eclipse.edc.web.spi.WebService;
import org.eclipse.edc.web.spi.configuration.PortMapping;
import org.eclipse.edc.web.spi.configuration.PortMappingRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import static io.kakehashi.core.spi.settings.SettingValues.positiveDuration;
import static io.kakehashi.core.spi.settings.SettingValues.require;

/**
 * This connector's {@code did:web}: its key ring in the vault (rotated at start when the active key is older than the
 * configured age), its DID document on the {@code identity} web context, and did:web resolution of peers through EDC's
 * cached resolver registry.
 */
@Extension(OwnDidExtension.NAME)
@Provides({ OwnDid.class, DidPublicKeys.class, ConnectorSigningKey.class })
public class OwnDidExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi did:web";
    /** The web context that serves the DID document and the credential service. */
    public static final String IDENTITY_CONTEXT = "identity";
    public static final String HTTP_LOOPBACK = "kakehashi.identity.did.http-loopback";

    @Setting(key = "edc.participant.id", description = "This connector's participant id; its DID unless kakehashi.identity.did is set")
    private String participantId;

    @Setting(key = "kakehashi.identity.did", required = false,
            description = "This connector's did:web, e.g. did:web:connector.example.jp:identity; defaults to edc.participant.id")
    private String didSetting;

    @Setting(key = "kakehashi.identity.did.key.alias", defaultValue = "kakehashi-did-keys",
            description = "Vault alias of the DID's key ring (EC P-256 JWKs); made at first start when absent")
    private String keyAlias;

    @Setting(key = "kakehashi.identity.did.key.rotate-after", defaultValue = "P90D",
            description = "Age (ISO 8601 duration) after which the active key is replaced at start")
    private String rotateAfter;

    @Setting(key = "kakehashi.identity.did.key.grace-period", defaultValue = "PT1H",
            description = "How long a replaced key stays in the DID document; longer than any token it signed lives plus the peers' DID cache")
    private String gracePeriod;

    @Setting(key = HTTP_LOOPBACK, defaultValue = "false",
            description = "Resolve did:web identifiers of loopback hosts (127.0.0.1, localhost) over plain http; for tests and single-machine samples only, refused when this connector's DID names another host")
    private boolean httpLoopback;

    @Setting(key = "kakehashi.identity.did.refetch-interval", defaultValue = "PT10S",
            description = "Minimum time between two uncached fetches of one DID document when a token names a key the cached document lacks")
    private String refetchInterval;

    @Setting(key = "edc.did.resolver.cache.expiry", defaultValue = "300000",
            description = "How long a resolved DID document is cached, in milliseconds (EDC's DID resolver registry)")
    private long didCacheExpiryMillis;

    @Setting(key = "kakehashi.identity.http.timeout", defaultValue = "PT10S",
            description = "Longest time one identity call to another party (DID document, credential service, status list) may take; no retries")
    private String httpTimeout;

    @Configuration
    private IdentityApiConfiguration apiConfiguration;

    @Inject
    private Vault vault;
    @Inject
    private Clock clock;
    @Inject
    private Monitor monitor;
    @Inject
    private WebService webService;
    @Inject
    private PortMappingRegistry portMappingRegistry;
    @Inject
    private OkHttpClient okHttpClient;
    @Inject
    private DidResolverRegistry resolverRegistry;
    @Inject
    private TypeManager typeManager;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var didText = didSetting == null || didSetting.isBlank() ? participantId : didSetting;
        var did = WebDid.parse(didText)
                .orElseThrow(failure -> new EdcException("Invalid setting 'kakehashi.identity.did' (or 'edc.participant.id'): " + failure.getFailureDetail()));
        checkLoopbackShortcut(did, httpLoopback)
                .orElseThrow(failure -> new EdcException("Invalid setting '%s': %s".formatted(HTTP_LOOPBACK, failure.getFailureDetail())));
        var rotation = require(positiveDuration("kakehashi.identity.did.key.rotate-after", rotateAfter));
        var grace = require(positiveDuration("kakehashi.identity.did.key.grace-period", gracePeriod));
        var refetch = require(positiveDuration("kakehashi.identity.did.refetch-interval", refetchInterval));

        var ring = new DidKeyRing(vault, keyAlias);
        ring.ensure(clock.instant()).orElseThrow(failure -> new EdcException("DID key ring '%s': %s".formatted(keyAlias, failure.getFailureDetail())));
        if (!clock.instant().isBefore(ring.activeSince().plus(rotation))) {
            ring.rotate(clock.instant(), grace).orElseThrow(failure -> new EdcException("Cannot rotate the DID key: " + failure.getFailureDetail()));
            monitor.info("Identity: the DID key was older than %s and has been replaced; the old key stays published for %s".formatted(rotation, grace));
        }
        var own = new OwnDid(did, ring, did.baseUrl(httpLoopback).toString());
        context.registerService(OwnDid.class, own);
        // statements the connector signs besides its tokens name the verification method, so they verify against the DID document
        context.registerService(ConnectorSigningKey.class, new ConnectorSigningKey() {
            @Override
            public ECKey current() {
                var key = own.signingKey();
                return new ECKey.Builder(key).keyID(own.methodId(key)).build();
            }

            @Override
            public Optional<ECKey> held(String keyId) {
                return own.heldKey(keyId, clock.instant());
            }
        });

        var path = did.path().isEmpty() ? "/" : "/" + did.path();
        if (!path.equals(apiConfiguration.path())) {
            monitor.warning("Identity: the DID '%s' is served at path '%s', but web.http.identity.path is '%s'; peers will not find the DID document unless a proxy maps it"
                    .formatted(did.did(), path, apiConfiguration.path()));
        }
        portMappingRegistry.register(new PortMapping(IDENTITY_CONTEXT, apiConfiguration.port(), apiConfiguration.path()));
        webService.registerResource(IDENTITY_CONTEXT, new DidDocumentController(own, clock, typeManager.getMapper()));

        var httpClient = FailFastHttpClient.create(okHttpClient, require(positiveDuration("kakehashi.identity.http.timeout", httpTimeout)), monitor);
        var resolver = new WebDidDocumentResolver(httpClient, httpLoopback, typeManager.getMapper());
        resolverRegistry.register(resolver);
        context.registerService(DidPublicKeys.class, new DidPublicKeys(resolverRegistry, resolver, clock, refetch, Duration.ofMillis(didCacheExpiryMillis)));
        monitor.info("Identity: DID %s, key %s, document at %s".formatted(did.did(), ring.activeKey().getKeyID(), did.documentUrl(httpLoopback)));
    }

    /**
     * The plain-http shortcut is for connectors that all live on one machine's loopback interface. A DID that names
     * another host is reached by peers over the network, where did:web means HTTPS; a shortcut left on there is a test
     * setting that leaked into a deployment, so the start is refused.
     */
    static Result<Void> checkLoopbackShortcut(WebDid did, boolean httpLoopback) {
        if (httpLoopback && !did.isLoopback()) {
            return Result.failure("the plain-http shortcut is for tests on one machine only, and the DID '%s' names the host '%s', which is not a loopback address; remove the setting and serve the DID document over HTTPS (kakehashi.tls.keystore)"
                    .formatted(did.did(), did.host()));
        }
        return Result.success();
    }

    @Settings
    record IdentityApiConfiguration(
            @Setting(key = "web.http.identity.port", defaultValue = "8184", description = "Port of the identity web context (DID document, credential service)")
            int port,
            @Setting(key = "web.http.identity.path", defaultValue = "/identity", description = "Path of the identity web context; must be the DID's path")
            String path
    ) {
    }
}
