package io.kakehashi.identity.dcp;

import io.kakehashi.identity.credentials.TrustedIssuers.TrustedIssuer;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.did.DidPublicKeys;
import io.kakehashi.identity.did.OwnDid;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;
import org.eclipse.edc.spi.system.configuration.Config;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.kakehashi.core.spi.settings.SettingValues.positiveDuration;
import static io.kakehashi.core.spi.settings.SettingValues.require;

/**
 * What the DCP holder ({@link DcpHolderExtension}) and the verifier ({@link DcpIdentityExtension}) share, read from
 * the settings and checked once at start: this connector's self-issued tokens, the check of a peer's ID token, and
 * the trusted issuers.
 */
@Extension(DcpTokensExtension.NAME)
public class DcpTokensExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi DCP tokens";
    static final String TRUSTED_ISSUERS = "kakehashi.identity.trusted-issuers";

    @Setting(key = TRUSTED_ISSUERS + ".<alias>.id", required = false,
            description = "DID of a trusted issuer (dataspace authority); one alias per trust anchor, at least one required")
    private String trustedIssuerIdDoc;
    @Setting(key = TRUSTED_ISSUERS + ".<alias>.types", required = false,
            description = "Comma-separated credential types the issuer is trusted for; empty or absent for every type")
    private String trustedIssuerTypesDoc;

    @Setting(key = "kakehashi.identity.dcp.token.lifetime", defaultValue = "PT5M",
            description = "Lifetime of the ID and access tokens and presentations this connector issues (ISO 8601 duration)")
    private String tokenLifetime;

    @Setting(key = "kakehashi.identity.dcp.token.maximum-lifetime", defaultValue = "PT10M",
            description = "Longest lifetime accepted in a peer's token (ISO 8601 duration)")
    private String maximumLifetime;

    @Setting(key = "kakehashi.identity.dcp.clock-skew", defaultValue = "PT30S",
            description = "Tolerance for clock differences when checking times (ISO 8601 duration)")
    private String clockSkew;

    @Inject
    private OwnDid ownDid;
    @Inject
    private DidPublicKeys keys;
    @Inject
    private JtiValidationStore jtiValidationStore;
    @Inject
    private Clock clock;

    private TrustedIssuers trustedIssuers;
    private SelfIssuedTokens selfIssuedTokens;
    private IdTokenVerifier idTokenVerifier;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        trustedIssuers = trustedIssuersOf(context.getConfig(TRUSTED_ISSUERS));
        var lifetime = require(positiveDuration("kakehashi.identity.dcp.token.lifetime", tokenLifetime));
        var maximum = require(positiveDuration("kakehashi.identity.dcp.token.maximum-lifetime", maximumLifetime));
        var skew = require(positiveDuration("kakehashi.identity.dcp.clock-skew", clockSkew));
        selfIssuedTokens = new SelfIssuedTokens(ownDid, clock, lifetime);
        idTokenVerifier = new IdTokenVerifier(keys, jtiValidationStore, clock, skew, maximum);
    }

    /** The trust anchors: whose credentials the verifier believes and whose deliveries the holder takes. */
    @Provider
    public TrustedIssuers trustedIssuers() {
        return trustedIssuers;
    }

    /** This connector's ID and access tokens: the holder's presentations and STS, the verifier's outgoing requests. */
    @Provider
    public SelfIssuedTokens selfIssuedTokens() {
        return selfIssuedTokens;
    }

    /** The check of a peer's self-issued ID token, with the clock skew and longest lifetime accepted ({@link IdTokenVerifier#times()}). */
    @Provider
    public IdTokenVerifier idTokenVerifier() {
        return idTokenVerifier;
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

    /** A comma-separated setting as its non-blank items, trimmed. */
    static List<String> list(String text) {
        return Arrays.stream(text == null ? new String[0] : text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toList());
    }
}
