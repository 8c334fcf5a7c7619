package io.kakehashi.identity.dcp.holder;

import com.nimbusds.jwt.JWTClaimsSet;
import io.kakehashi.identity.credentials.Jws;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.credentials.VerifiableCredential;
import io.kakehashi.identity.dcp.IdTokenVerifier;
import io.kakehashi.identity.did.DidPublicKeys;
import io.kakehashi.identity.did.OwnDid;
import org.eclipse.edc.jwt.validation.jti.JtiValidationEntry;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.spi.result.Result;
import org.jetbrains.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The embedded credential service's side of DCP issuance: the storage API ({@code CredentialMessage}: an issuer
 * delivers credentials) and credential offers ({@code CredentialOfferMessage}).
 * <p>
 * Only a trusted issuer (one of the connector's trust anchors) may write: it authenticates with its self-issued ID
 * token (a Bearer token addressed to this connector, checked like every ID token: signature against its DID document,
 * times, unused {@code jti}). A delivered credential is kept only when every credential of the message is one this
 * connector can present: a VC 2.0 {@code vc+jwt} or VC 1.1 JWT of the declared type, issued and signed by the
 * authenticated issuer, about this connector — otherwise nothing of the message is stored. A {@code REJECTED} message
 * is acknowledged with nothing stored. An offer is acknowledged and logged: this holder has no request flow of its
 * own (credentials come from the issuer tool or are delivered), so it does not act on it. The issuer's {@code jti} is
 * recorded only for an accepted message. Thread-safe.
 */
public class CredentialStorageService {

    public static final String CREDENTIAL_MESSAGE = "CredentialMessage";
    public static final String CREDENTIAL_OFFER_MESSAGE = "CredentialOfferMessage";
    private static final Set<String> STATUSES = Set.of("ISSUED", "REJECTED");
    private static final Set<String> FORMATS = Set.of("VC1_0_JWT", "VC2_0_JOSE");

    /** Why a message was refused: 401 for the issuer's authentication, 400 for the message. */
    public enum Refusal { UNAUTHORIZED, BAD_REQUEST }

    /** A refusal with its reason. */
    public record Refused(Refusal kind, String reason) {
    }

    private final OwnDid did;
    private final IdTokenVerifier idTokens;
    private final TrustedIssuers trustedIssuers;
    private final DidPublicKeys keys;
    private final CredentialStore store;
    private final JtiValidationStore seenTokens;

    public CredentialStorageService(OwnDid did, IdTokenVerifier idTokens, TrustedIssuers trustedIssuers, DidPublicKeys keys,
                                    CredentialStore store, JtiValidationStore seenTokens) {
        this.did = did;
        this.idTokens = idTokens;
        this.trustedIssuers = trustedIssuers;
        this.keys = keys;
        this.store = store;
        this.seenTokens = seenTokens;
    }

    /** Stores the credentials of a {@code CredentialMessage}; returns how many it held. */
    public Result<Integer> receive(String authorization, @Nullable Map<String, Object> message, Consumer<Refused> refusals) {
        var issuer = authenticate(authorization, refusals);
        if (issuer == null) {
            return Result.failure("unauthorized");
        }
        var invalid = checkCredentialMessage(message);
        if (invalid != null) {
            refusals.accept(new Refused(Refusal.BAD_REQUEST, "CredentialMessage from '%s': %s".formatted(issuer.getIssuer(), invalid)));
            return Result.failure(invalid);
        }
        var jwts = new ArrayList<String>();
        if ("ISSUED".equals(message.get("status"))) {
            for (var container : (Collection<?>) message.get("credentials")) {
                var checked = checkCredential((Map<?, ?>) container, issuer.getIssuer());
                if (checked.failed()) {
                    refusals.accept(new Refused(Refusal.BAD_REQUEST, "CredentialMessage from '%s': %s".formatted(issuer.getIssuer(), checked.getFailureDetail())));
                    return checked.mapFailure();
                }
                jwts.add(checked.getContent());
            }
        }
        var stored = store.store(jwts);
        if (stored.failed()) {
            return stored.mapFailure();
        }
        return recordJti(issuer, refusals).map(ignored -> jwts.size());
    }

    /** Acknowledges a {@code CredentialOfferMessage}; returns how many credentials it offers. */
    public Result<Integer> offer(String authorization, @Nullable Map<String, Object> message, Consumer<Refused> refusals) {
        var issuer = authenticate(authorization, refusals);
        if (issuer == null) {
            return Result.failure("unauthorized");
        }
        var invalid = checkOfferMessage(message, issuer.getIssuer());
        if (invalid != null) {
            refusals.accept(new Refused(Refusal.BAD_REQUEST, "CredentialOfferMessage from '%s': %s".formatted(issuer.getIssuer(), invalid)));
            return Result.failure(invalid);
        }
        return recordJti(issuer, refusals).map(ignored -> ((Collection<?>) message.get("credentials")).size());
    }

    private JWTClaimsSet authenticate(String authorization, Consumer<Refused> refusals) {
        var token = idTokens.verify(authorization, did.id());
        if (token.failed()) {
            refusals.accept(new Refused(Refusal.UNAUTHORIZED, "issuer ID token: " + token.getFailureDetail()));
            return null;
        }
        var issuer = token.getContent().getIssuer();
        if (trustedIssuers.check(issuer, List.of()).failed()) {
            refusals.accept(new Refused(Refusal.UNAUTHORIZED, "'%s' is not a trusted issuer".formatted(issuer)));
            return null;
        }
        return token.getContent();
    }

    private Result<Void> recordJti(JWTClaimsSet token, Consumer<Refused> refusals) {
        var stored = seenTokens.storeEntry(new JtiValidationEntry(token.getJWTID(), token.getExpirationTime().getTime()));
        if (stored.failed()) {
            // a concurrent replay of the same token
            refusals.accept(new Refused(Refusal.UNAUTHORIZED, "issuer ID token jti '%s' was already used (replay)".formatted(token.getJWTID())));
            return Result.failure("replay");
        }
        return Result.success();
    }

    private static String checkCredentialMessage(Map<String, Object> message) {
        if (message == null || !CREDENTIAL_MESSAGE.equals(message.get("type")) && !CREDENTIAL_MESSAGE.equals(message.get("@type"))) {
            return "the body is not a CredentialMessage";
        }
        for (var field : List.of("issuerPid", "holderPid")) {
            if (!(message.get(field) instanceof String text) || text.isBlank()) {
                return "it has no " + field;
            }
        }
        if (!(message.get("status") instanceof String status) || !STATUSES.contains(status)) {
            return "status '%s' is neither ISSUED nor REJECTED".formatted(message.get("status"));
        }
        if ("ISSUED".equals(status)) {
            if (!(message.get("credentials") instanceof Collection<?> credentials) || credentials.isEmpty()) {
                return "an ISSUED message holds no credentials";
            }
            if (!credentials.stream().allMatch(Map.class::isInstance)) {
                return "a credential entry is not an object";
            }
        }
        return null;
    }

    private Result<String> checkCredential(Map<?, ?> container, String issuer) {
        if (!(container.get("payload") instanceof String jwt) || !(container.get("credentialType") instanceof String type)
                || !(container.get("format") instanceof String format)) {
            return Result.failure("a credential entry lacks credentialType, format or payload");
        }
        if (!FORMATS.contains(format)) {
            return Result.failure("credential format '%s' is not one of %s".formatted(format, FORMATS));
        }
        var parsed = Jws.parse(jwt, "credential payload");
        if (parsed.failed()) {
            return parsed.mapFailure();
        }
        var vc11 = VerifiableCredential.isVc11Jwt(parsed.getContent().payload());
        if (vc11 != "VC1_0_JWT".equals(format)) {
            return Result.failure("credential payload is not in its declared format %s".formatted(format));
        }
        var read = VerifiableCredential.fromJwtPayload(parsed.getContent().payload());
        if (read.failed()) {
            return read.mapFailure();
        }
        var credential = read.getContent();
        if (!credential.hasType(type)) {
            return Result.failure("credential of types %s is not the declared %s".formatted(credential.types(), type));
        }
        if (!issuer.equals(credential.issuer())) {
            return Result.failure("credential issued by '%s', not by the sender '%s'".formatted(credential.issuer(), issuer));
        }
        if (!did.id().equals(credential.subjectId())) {
            return Result.failure("credential is about '%s', not this connector".formatted(credential.subjectId()));
        }
        var key = keys.find(issuer, parsed.getContent().keyId());
        if (key.failed()) {
            return Result.failure("credential key: " + key.getFailureDetail());
        }
        if (!parsed.getContent().verifies(key.getContent())) {
            return Result.failure("credential signature does not verify against the key of '%s'".formatted(issuer));
        }
        return Result.success(jwt);
    }

    private static String checkOfferMessage(Map<String, Object> message, String issuer) {
        if (message == null || !CREDENTIAL_OFFER_MESSAGE.equals(message.get("type")) && !CREDENTIAL_OFFER_MESSAGE.equals(message.get("@type"))) {
            return "the body is not a CredentialOfferMessage";
        }
        if (!issuer.equals(message.get("issuer"))) {
            return "issuer '%s' is not the sender '%s'".formatted(message.get("issuer"), issuer);
        }
        if (!(message.get("credentials") instanceof Collection<?> credentials) || credentials.isEmpty()) {
            return "it offers no credentials";
        }
        var allHaveIds = credentials.stream().allMatch(c -> c instanceof Map<?, ?> map && map.get("id") instanceof String id && !id.isBlank());
        return allHaveIds ? null : "an offered credential has no id";
    }
}
