package io.kakehashi.identity;

import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.identity.keys.VaultKeyPairs;
import io.kakehashi.identity.spi.ConnectorSigningKey;
import io.kakehashi.identity.token.SelfIssuedTokenService;
import io.kakehashi.identity.trust.TrustListFile;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.protocol.spi.DefaultParticipantIdExtractionFunction;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.iam.AudienceResolver;
import org.eclipse.edc.spi.iam.IdentityService;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static io.kakehashi.core.spi.settings.SettingValues.positiveDuration;
import static io.kakehashi.core.spi.settings.SettingValues.require;

/**
 * The connector's identity until DIDs and verifiable credentials take over: an EC P-256 key made at first start and
 * kept in the vault, self-issued tokens on every DSP request, and a trust list of peers' public keys.
 * <p>
 * The services are default providers: a module that brings another identity (EDC's DCP modules, or the TCK's
 * no-op identity in a test runtime) replaces them, and the start-up log says so.
 */
@Extension(SelfIssuedIdentityExtension.NAME)
@Provides(ConnectorSigningKey.class)
public class SelfIssuedIdentityExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi self-issued identity";

    @Setting(key = "edc.participant.id", description = "This connector's participant id, the issuer of its tokens")
    private String participantId;

    @Setting(key = "kakehashi.identity.key.alias", defaultValue = "kakehashi-identity-key",
            description = "Vault alias of the connector's signing key (EC P-256 JWK); made at first start when absent")
    private String keyAlias;

    @Setting(key = "kakehashi.identity.trust-list", defaultValue = "kakehashi-data/trusted-peers.json",
            description = "JSON file mapping trusted participant ids to their public JWKs; re-read when it changes")
    private String trustListPath;

    @Setting(key = "kakehashi.identity.public-key.file", defaultValue = "kakehashi-data/identity.jwk.json",
            description = "Where the connector writes its own public JWK at start, for peers' trust lists")
    private String publicKeyFile;

    @Setting(key = "kakehashi.identity.token.lifetime", defaultValue = "PT5M",
            description = "Lifetime of the tokens this connector issues (ISO 8601 duration); peers accept at most twice their own")
    private String tokenLifetime;

    @Setting(key = "kakehashi.identity.clock-skew", defaultValue = "PT30S",
            description = "Tolerance for clock differences when checking a token's times (ISO 8601 duration)")
    private String clockSkew;

    @Inject
    private Vault vault;
    @Inject
    private JtiValidationStore jtiValidationStore;
    @Inject
    private Clock clock;
    @Inject
    private Monitor monitor;

    private SelfIssuedTokenService identityService;
    private ServiceExtensionContext context;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        this.context = context;
        if (participantId.isBlank()) {
            throw new EdcException("Missing setting 'edc.participant.id': the connector needs a participant id to issue its tokens");
        }
        var lifetime = require(positiveDuration("kakehashi.identity.token.lifetime", tokenLifetime));
        var skew = require(positiveDuration("kakehashi.identity.clock-skew", clockSkew));
        var key = new VaultKeyPairs(vault).ensure(keyAlias)
                .orElseThrow(failure -> new EdcException("Identity key '%s': %s".formatted(keyAlias, failure.getFailureDetail())));
        writePublicKey(key).orElseThrow(failure -> new EdcException("Invalid setting 'kakehashi.identity.public-key.file': " + failure.getFailureDetail()));
        var trustList = new TrustListFile(Path.of(trustListPath), monitor);
        identityService = new SelfIssuedTokenService(participantId, key, trustList, jtiValidationStore, clock, lifetime, skew, monitor);
        context.registerService(ConnectorSigningKey.class, () -> key);
        monitor.info("Identity: participant '%s', key %s, trust list %s".formatted(participantId, key.getKeyID(), trustListPath));
    }

    @Provider(isDefault = true)
    public IdentityService identityService() {
        return identityService;
    }

    @Provider(isDefault = true)
    public AudienceResolver audienceResolver() {
        return message -> message.getCounterPartyId() == null
                ? Result.failure("the message has no counter-party id to address the token to")
                : Result.success(message.getCounterPartyId());
    }

    @Provider(isDefault = true)
    public DefaultParticipantIdExtractionFunction participantIdExtractionFunction() {
        return claims -> claims.getStringClaim(SelfIssuedTokenService.PARTICIPANT_ID_CLAIM);
    }

    @Override
    public void start() {
        var active = context.getService(IdentityService.class);
        if (active != identityService) {
            monitor.warning("Identity: another module's %s replaces the self-issued identity; this runtime does not check peers' tokens against the trust list"
                    .formatted(active.getClass().getName()));
        }
    }

    private Result<Void> writePublicKey(ECKey key) {
        try {
            var path = Path.of(publicKeyFile).toAbsolutePath();
            Files.createDirectories(path.getParent());
            Files.writeString(path, key.toPublicJWK().toJSONString());
            return Result.success();
        } catch (IOException e) {
            return Result.failure(e.getMessage());
        }
    }
}
