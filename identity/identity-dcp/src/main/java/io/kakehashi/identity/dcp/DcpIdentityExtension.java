package io.kakehashi.identity.dcp;

import io.kakehashi.identity.credentials.CredentialSchemas;
import io.kakehashi.identity.credentials.CredentialVerifier;
import io.kakehashi.identity.credentials.HttpDocumentFetcher;
import io.kakehashi.identity.credentials.StatusListResolver;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.dcp.holder.HeldCredentialsFingerprint;
import io.kakehashi.identity.dcp.verifier.DcpIdentityService;
import io.kakehashi.identity.dcp.verifier.DcpSignedRequestVerifier;
import io.kakehashi.identity.dcp.verifier.PresentationCache;
import io.kakehashi.identity.dcp.verifier.PresentationClient;
import io.kakehashi.identity.dcp.verifier.PresentationLimits;
import io.kakehashi.identity.dcp.verifier.PresentationVerifier;
import io.kakehashi.identity.did.DidPublicKeys;
import io.kakehashi.identity.did.FailFastHttpClient;
import io.kakehashi.identity.did.OwnDid;
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
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.types.TypeManager;

import java.time.Clock;

import static io.kakehashi.core.spi.settings.SettingValues.nonNegativeDuration;
import static io.kakehashi.core.spi.settings.SettingValues.positiveDuration;
import static io.kakehashi.core.spi.settings.SettingValues.require;

/**
 * The connector's identity by DCP, as the verifier of peers' tokens and presentations against the configured trusted
 * issuers; it asks peers with the tokens of {@link DcpTokensExtension} and the access tokens it reuses while the
 * credentials of the embedded holder ({@link DcpHolderExtension}) stay the same. Its services are default providers:
 * a connector carries either this module or the trust-list identity ({@code kakehashi-identity}), never both, and a
 * test runtime's own identity replaces them.
 */
@Extension(DcpIdentityExtension.NAME)
public class DcpIdentityExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi DCP identity";
    static final String PRESENTATION_CACHE = "kakehashi.identity.presentation.cache";
    static final String PRESENTATION_CACHE_ENTRIES = "kakehashi.identity.presentation.cache.max-entries";

    @Setting(key = "kakehashi.identity.dcp.credential-types", defaultValue = "MembershipCredential,LegalEntityCredential,CertificationCredential",
            description = "Credential types this connector asks peers for and lets peers read from it")
    private String credentialTypes;

    @Setting(key = "kakehashi.identity.dcp.required-credential-types", defaultValue = "MembershipCredential",
            description = "Credential types a peer must present for any request to be accepted; empty for none")
    private String requiredTypes;

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

    @Inject
    private OwnDid ownDid;
    @Inject
    private DidPublicKeys keys;
    @Inject
    private JtiValidationStore jtiValidationStore;
    @Inject
    private OkHttpClient okHttpClient;
    @Inject
    private Clock clock;
    @Inject
    private Monitor monitor;
    @Inject
    private TypeManager typeManager;
    @Inject
    private SelfIssuedTokens tokens;
    @Inject
    private IdTokenVerifier idTokens;
    @Inject
    private TrustedIssuers trusted;
    // the holder's: also what makes EDC initialise the holder before this extension
    @Inject
    private HeldCredentialsFingerprint heldCredentials;

    private DcpIdentityService identityService;
    private SignedRequestVerifier signedRequestVerifier;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var types = DcpTokensExtension.list(credentialTypes);
        var required = DcpTokensExtension.list(requiredTypes);
        var skew = idTokens.times().clockSkew();
        var maximum = idTokens.times().maximumLifetime();
        var cache = require(positiveDuration("kakehashi.identity.status-list.cache", statusListCache));
        if (!types.containsAll(required)) {
            throw new EdcException("Invalid setting 'kakehashi.identity.dcp.required-credential-types': %s must be among kakehashi.identity.dcp.credential-types %s"
                    .formatted(required, types));
        }

        var httpClient = FailFastHttpClient.create(okHttpClient, require(positiveDuration("kakehashi.identity.http.timeout", httpTimeout)), monitor);
        var statusLists = new StatusListResolver(new HttpDocumentFetcher(httpClient, httpLoopback), keys, clock, cache);
        var schemas = new CredentialSchemas(new HttpDocumentFetcher(httpClient, httpLoopback), clock, cache);
        var credentials = new CredentialVerifier(keys, trusted, statusLists, schemas, clock, skew);
        var limits = presentationLimits(types.size(), maxResponseBytes, maxPresentations, maxCredentialsPerPresentation);
        // the token a verifier's presentation cache keys on: reused while this connector's credentials stay the same (decision 0044)
        var accessTokens = new ReusedAccessTokens(tokens, heldCredentials::current, clock, presentationCacheEntries);
        var presentationVerifier = new PresentationVerifier(keys, credentials, clock, skew, limits.maxCredentialsPerPresentation());
        identityService = new DcpIdentityService(ownDid, tokens, accessTokens, idTokens, keys, new PresentationClient(httpClient, httpLoopback, limits, typeManager.getMapper()),
                presentationVerifier, jtiValidationStore, types, required,
                presentationCache(presentationCache, presentationCacheEntries, clock), monitor);
        // a signed request (an auditor's, docs/decisions/0042) authorises one request: a shorter lifetime than a DSP token's
        var requestLifetime = maximum.compareTo(DcpSignedRequestVerifier.MAXIMUM_LIFETIME) < 0 ? maximum : DcpSignedRequestVerifier.MAXIMUM_LIFETIME;
        signedRequestVerifier = new DcpSignedRequestVerifier(ownDid, new IdTokenVerifier(keys, jtiValidationStore, clock, skew, requestLifetime),
                presentationVerifier, jtiValidationStore);
        monitor.info("Identity: DCP verifier trusting %d issuer(s), requiring %s".formatted(trusted.size(), required));
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
}
