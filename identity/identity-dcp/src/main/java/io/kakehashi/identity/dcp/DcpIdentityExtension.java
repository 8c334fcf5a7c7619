package io.kakehashi.identity.dcp;

import io.kakehashi.identity.credentials.CredentialSchemas;
import io.kakehashi.identity.credentials.CredentialVerifier;
import io.kakehashi.identity.credentials.HttpDocumentFetcher;
import io.kakehashi.identity.credentials.StatusListResolver;
import io.kakehashi.identity.credentials.TrustedIssuers.TrustedIssuer;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.dcp.holder.CredentialOfferController;
import io.kakehashi.identity.dcp.holder.CredentialStorageController;
import io.kakehashi.identity.dcp.holder.CredentialStorageService;
import io.kakehashi.identity.dcp.holder.DirectoryCredentialStore;
import io.kakehashi.identity.dcp.holder.PresentationQueryController;
import io.kakehashi.identity.dcp.holder.PresentationService;
import io.kakehashi.identity.dcp.holder.SecureTokenController;
import io.kakehashi.identity.dcp.holder.SecureTokenService;
import io.kakehashi.identity.dcp.verifier.DcpIdentityService;
import io.kakehashi.identity.dcp.verifier.DcpSignedRequestVerifier;
import io.kakehashi.identity.dcp.verifier.PresentationCache;
import io.kakehashi.identity.dcp.verifier.PresentationClient;
import io.kakehashi.identity.dcp.verifier.PresentationLimits;
import io.kakehashi.identity.dcp.verifier.PresentationVerifier;
import io.kakehashi.identity.did.DidPublicKeys;
import io.kakehashi.identity.did.FailFastHttpClient;
import io.kakehashi.identity.did.OwnDid;
import io.kakehashi.identity.did.OwnDidExtension;
import io.kakehashi.identity.spi.SignedRequestVerifier;
import okhttp3.OkHttpClient;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.protocol.spi.DefaultParticipantIdExtractionFunction;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.iam.AudienceResolver;
import org.eclipse.edc.spi.iam.IdentityService;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.system.configuration.Config;
import org.eclipse.edc.spi.types.TypeManager;
import org.eclipse.edc.web.spi.WebService;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.kakehashi.core.spi.settings.SettingValues.nonNegativeDuration;
import static io.kakehashi.core.spi.settings.SettingValues.positiveDuration;
import static io.kakehashi.core.spi.settings.SettingValues.require;

/**
 * The connector's identity by DCP: the embedded holder (its credentials from a directory, the presentation query,
 * storage and offer endpoints on the identity web context, self-issued tokens, optionally an STS token endpoint) and the verifier of peers' tokens and presentations
 * against the configured trusted issuers. Its services are default providers: a connector carries either this
 * module or the trust-list identity ({@code kakehashi-identity}), never both, and a test runtime's own identity
 * replaces them.
 */
@Extension(DcpIdentityExtension.NAME)
public class DcpIdentityExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi DCP identity";
    static final String TRUSTED_ISSUERS = "kakehashi.identity.trusted-issuers";
    static final String STS_CLIENT_ID = "kakehashi.identity.sts.client-id";
    static final String PRESENTATION_CACHE = "kakehashi.identity.presentation.cache";
    static final String PRESENTATION_CACHE_ENTRIES = "kakehashi.identity.presentation.cache.max-entries";

    @Setting(key = TRUSTED_ISSUERS + ".<alias>.id", required = false,
            description = "DID of a trusted issuer (dataspace authority); one alias per trust anchor, at least one required")
    private String trustedIssuerIdDoc;
    @Setting(key = TRUSTED_ISSUERS + ".<alias>.types", required = false,
            description = "Comma-separated credential types the issuer is trusted for; empty or absent for every type")
    private String trustedIssuerTypesDoc;

    @Setting(key = "kakehashi.identity.credentials.dir", defaultValue = "kakehashi-data/credentials",
            description = "Directory of this connector's credentials, one vc+jwt per *.jwt file (as the issuer tool writes them)")
    private String credentialsDirectory;

    @Setting(key = "kakehashi.identity.dcp.credential-types", defaultValue = "MembershipCredential,LegalEntityCredential,CertificationCredential",
            description = "Credential types this connector asks peers for and lets peers read from it")
    private String credentialTypes;

    @Setting(key = "kakehashi.identity.dcp.required-credential-types", defaultValue = "MembershipCredential",
            description = "Credential types a peer must present for any request to be accepted; empty for none")
    private String requiredTypes;

    @Setting(key = "kakehashi.identity.dcp.token.lifetime", defaultValue = "PT5M",
            description = "Lifetime of the ID and access tokens and presentations this connector issues (ISO 8601 duration)")
    private String tokenLifetime;

    @Setting(key = "kakehashi.identity.dcp.token.maximum-lifetime", defaultValue = "PT10M",
            description = "Longest lifetime accepted in a peer's token (ISO 8601 duration)")
    private String maximumLifetime;

    @Setting(key = "kakehashi.identity.dcp.clock-skew", defaultValue = "PT30S",
            description = "Tolerance for clock differences when checking times (ISO 8601 duration)")
    private String clockSkew;

    @Setting(key = "kakehashi.identity.status-list.cache", defaultValue = "PT5M",
            description = "How long a fetched status list credential (and a credential schema) is used before it is fetched again (ISO 8601 duration)")
    private String statusListCache;

    @Setting(key = PRESENTATION_CACHE, defaultValue = "PT5M",
            description = "Longest time the claims of a peer's verified presentation are reused for its next requests that carry the same "
                    + "access token (ISO 8601 duration; also bounded by the credentials' expiry and the status-list cache); PT0S verifies a "
                    + "fresh presentation on every request")
    private String presentationCache;

    @Setting(key = PRESENTATION_CACHE_ENTRIES, defaultValue = "10000",
            description = "Most (peer DID, scopes, access token) entries the presentation cache holds, and most verifiers this connector reuses an access token for; the least recently used goes first")
    private int presentationCacheEntries;

    @Setting(key = PresentationLimits.MAX_PRESENTATIONS, required = false,
            description = "Most presentations read from one answer of a peer's credential service (default: one per requested "
                    + "credential type, at least 2); an answer with more is refused before any is verified")
    private String maxPresentations;

    @Setting(key = PresentationLimits.MAX_CREDENTIALS_PER_PRESENTATION, required = false,
            description = "Most credentials verified in one presentation (default: 4 per requested credential type); "
                    + "a presentation with more is refused before its signature is checked")
    private String maxCredentialsPerPresentation;

    @Setting(key = PresentationLimits.MAX_RESPONSE_BYTES, required = false,
            description = "Most bytes read from one answer of a peer's credential service (default: 16 KiB for every credential "
                    + "the two limits above allow); a longer answer is refused without reading the rest")
    private String maxResponseBytes;

    @Setting(key = "kakehashi.identity.did.http-loopback", defaultValue = "false",
            description = "Reach loopback peers' credential services and status lists over plain http (tests, single-machine samples)")
    private boolean httpLoopback;

    @Setting(key = "kakehashi.identity.http.timeout", defaultValue = "PT10S",
            description = "Longest time one identity call to another party may take; no retries")
    private String httpTimeout;

    @Setting(key = STS_CLIENT_ID, required = false,
            description = "Client id of the embedded secure token service's HTTP endpoint (POST <identity>/sts/token); unset: no such endpoint")
    private String stsClientId;

    @Setting(key = "kakehashi.identity.sts.client-secret-alias", defaultValue = "kakehashi-sts-client-secret",
            description = "Vault alias of the secure token service client's secret; required when " + STS_CLIENT_ID + " is set")
    private String stsClientSecretAlias;

    @Inject
    private Vault vault;
    @Inject
    private OwnDid ownDid;
    @Inject
    private DidPublicKeys keys;
    @Inject
    private JtiValidationStore jtiValidationStore;
    @Inject
    private OkHttpClient okHttpClient;
    @Inject
    private WebService webService;
    @Inject
    private Clock clock;
    @Inject
    private Monitor monitor;
    @Inject
    private TypeManager typeManager;

    private DcpIdentityService identityService;
    private SignedRequestVerifier signedRequestVerifier;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var trusted = trustedIssuersOf(context.getConfig(TRUSTED_ISSUERS));
        var types = list(credentialTypes);
        var required = list(requiredTypes);
        var lifetime = require(positiveDuration("kakehashi.identity.dcp.token.lifetime", tokenLifetime));
        var maximum = require(positiveDuration("kakehashi.identity.dcp.token.maximum-lifetime", maximumLifetime));
        var skew = require(positiveDuration("kakehashi.identity.dcp.clock-skew", clockSkew));
        var cache = require(positiveDuration("kakehashi.identity.status-list.cache", statusListCache));
        if (!types.containsAll(required)) {
            throw new EdcException("Invalid setting 'kakehashi.identity.dcp.required-credential-types': %s must be among kakehashi.identity.dcp.credential-types %s"
                    .formatted(required, types));
        }

        var httpClient = FailFastHttpClient.create(okHttpClient, require(positiveDuration("kakehashi.identity.http.timeout", httpTimeout)), monitor);
        var tokens = new SelfIssuedTokens(ownDid, clock, lifetime);
        var idTokens = new IdTokenVerifier(keys, jtiValidationStore, clock, skew, maximum);
        var store = new DirectoryCredentialStore(Path.of(credentialsDirectory), ownDid.id(), monitor);
        var held = store.all();
        var presentationService = new PresentationService(ownDid, store, tokens, idTokens, jtiValidationStore, clock);
        webService.registerResource(OwnDidExtension.IDENTITY_CONTEXT, new PresentationQueryController(presentationService, monitor));
        var storage = new CredentialStorageService(ownDid, idTokens, trusted, keys, store, jtiValidationStore);
        webService.registerResource(OwnDidExtension.IDENTITY_CONTEXT, new CredentialStorageController(storage, monitor));
        webService.registerResource(OwnDidExtension.IDENTITY_CONTEXT, new CredentialOfferController(storage, monitor));
        var sts = secureTokenService(stsClientId, stsClientSecretAlias, vault, tokens);
        if (sts != null) {
            webService.registerResource(OwnDidExtension.IDENTITY_CONTEXT, new SecureTokenController(sts, monitor));
            monitor.info("Identity: the secure token service answers client '%s' at %s/sts/token".formatted(stsClientId, OwnDidExtension.IDENTITY_CONTEXT));
        }

        var statusLists = new StatusListResolver(new HttpDocumentFetcher(httpClient, httpLoopback), keys, clock, cache);
        var schemas = new CredentialSchemas(new HttpDocumentFetcher(httpClient, httpLoopback), clock, cache);
        var credentials = new CredentialVerifier(keys, trusted, statusLists, schemas, clock, skew);
        var limits = presentationLimits(types.size(), maxResponseBytes, maxPresentations, maxCredentialsPerPresentation);
        // the token a verifier's presentation cache keys on: reused while this connector's credentials stay the same (decision 0044)
        var accessTokens = new ReusedAccessTokens(tokens, store::fingerprint, clock, presentationCacheEntries);
        var presentationVerifier = new PresentationVerifier(keys, credentials, clock, skew, limits.maxCredentialsPerPresentation());
        identityService = new DcpIdentityService(ownDid, tokens, accessTokens, idTokens, keys, new PresentationClient(httpClient, httpLoopback, limits, typeManager.getMapper()),
                presentationVerifier, jtiValidationStore, types, required,
                presentationCache(presentationCache, presentationCacheEntries, clock), monitor);
        // a signed request (an auditor's, docs/decisions/0042) authorises one request: a shorter lifetime than a DSP token's
        var requestLifetime = maximum.compareTo(DcpSignedRequestVerifier.MAXIMUM_LIFETIME) < 0 ? maximum : DcpSignedRequestVerifier.MAXIMUM_LIFETIME;
        signedRequestVerifier = new DcpSignedRequestVerifier(ownDid, new IdTokenVerifier(keys, jtiValidationStore, clock, skew, requestLifetime),
                presentationVerifier, jtiValidationStore);
        monitor.info("Identity: DCP as %s, holding %d credential(s) from %s, trusting %d issuer(s), requiring %s"
                .formatted(ownDid.id(), held.size(), credentialsDirectory, trusted.size(), required));
    }

    // default providers, like the trust-list identity's (docs/decisions/0003): a test runtime's identity (the DSP
    // TCK's no-op one, EDC's iam-mock) replaces them by being on the class path
    @Provider(isDefault = true)
    public IdentityService identityService() {
        return identityService;
    }

    /** Verifies requests signed by a caller's DID key that present its credentials (the auditor API's). */
    @Provider
    public SignedRequestVerifier signedRequestVerifier() {
        return signedRequestVerifier;
    }

    @Provider(isDefault = true)
    public AudienceResolver audienceResolver() {
        return message -> message.getCounterPartyId() == null
                ? Result.failure("the message has no counter-party id (the peer's DID) to address the token to")
                : Result.success(message.getCounterPartyId());
    }

    @Provider(isDefault = true)
    public DefaultParticipantIdExtractionFunction participantIdExtractionFunction() {
        return claims -> claims.getStringClaim(Dcp.PARTICIPANT_ID_CLAIM);
    }

    /** The STS endpoint's service, or null when no client is configured; a configured client needs its secret in the vault. */
    static SecureTokenService secureTokenService(String clientId, String secretAlias, Vault vault, SelfIssuedTokens tokens) {
        if (clientId == null || clientId.isBlank()) {
            return null;
        }
        var secret = vault.resolveSecret(secretAlias);
        if (secret == null || secret.isBlank()) {
            throw new EdcException("Missing secret: '%s' is set, so the vault must hold the client secret under 'kakehashi.identity.sts.client-secret-alias' (%s)"
                    .formatted(STS_CLIENT_ID, secretAlias));
        }
        return new SecureTokenService(tokens, clientId, secret);
    }

    /** The limits for a query of so many scopes, each given setting replacing its derived default; a bad one names its key. */
    static PresentationLimits presentationLimits(int scopes, String responseBytes, String presentations, String credentials) {
        return PresentationLimits.forScopes(scopes).with(positive(PresentationLimits.MAX_RESPONSE_BYTES, responseBytes),
                positiveInt(PresentationLimits.MAX_PRESENTATIONS, presentations),
                positiveInt(PresentationLimits.MAX_CREDENTIALS_PER_PRESENTATION, credentials));
    }

    private static Integer positiveInt(String key, String value) {
        var number = positive(key, value);
        if (number != null && number > Integer.MAX_VALUE) {
            throw new EdcException("Invalid setting '%s': at most %d, not %s".formatted(key, Integer.MAX_VALUE, value));
        }
        return number == null ? null : number.intValue();
    }

    private static Long positive(String key, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            var number = Long.parseLong(value.strip());
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new EdcException("Invalid setting '%s': a whole number of at least 1, not '%s'".formatted(key, value));
    }

    static PresentationCache presentationCache(String maxAge, int entries, Clock clock) {
        var age = require(nonNegativeDuration(PRESENTATION_CACHE, maxAge));
        if (entries < 1) {
            throw new EdcException("Invalid setting '%s': at least 1, not %d".formatted(PRESENTATION_CACHE_ENTRIES, entries));
        }
        return new PresentationCache(age, entries, clock);
    }

    static TrustedIssuers trustedIssuersOf(Config config) {
        var issuers = config.partition().map(entry -> {
            var id = entry.getString("id", "");
            if (!id.startsWith("did:")) {
                throw new EdcException("Invalid setting '%s.%s.id': '%s' is not a DID".formatted(TRUSTED_ISSUERS, entry.currentNode(), id));
            }
            Set<String> types = Set.copyOf(list(entry.getString("types", "")));
            return new TrustedIssuer(id, types);
        }).toList();
        if (issuers.isEmpty()) {
            throw new EdcException("Missing setting '%s.<alias>.id': a connector that verifies credentials needs at least one trusted issuer".formatted(TRUSTED_ISSUERS));
        }
        return new TrustedIssuers(issuers);
    }

    static List<String> list(String text) {
        return Arrays.stream(text == null ? new String[0] : text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toList());
    }
}
