package io.kakehashi.identity.credentials;

import org.eclipse.edc.spi.result.Result;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The content of a JWT-secured W3C credential, read from the JWT payload (its signature is checked elsewhere): a VC
 * Data Model 2.0 credential secured as {@code vc+jwt} (the payload is the credential) or a VC Data Model 1.1 JWT (the
 * credential in the {@code vc} claim, as DCP 1.0 peers and the DCP TCK send it). Immutable and thread-safe.
 *
 * @param id         the credential's id, if any
 * @param types      its types, {@code VerifiableCredential} among them
 * @param issuer     the issuer's DID
 * @param subjectId  the subject's DID
 * @param validFrom  start of validity
 * @param validUntil end of validity, if any
 * @param subject    the credential subject's properties
 * @param status     its revocation entries
 * @param format     how it was secured
 * @param kakehashiVocabulary whether its subject's properties are Kakehashi's: always for VC 2.0 (as before); for a
 *                   VC 1.1 JWT when its {@code @context} names {@link Credentials#KAKEHASHI_CONTEXT}, as the issuer
 *                   tool's VC 1.1 credentials do
 */
public record VerifiableCredential(Optional<String> id, List<String> types, String issuer, String subjectId, Instant validFrom,
                                   Optional<Instant> validUntil, Map<String, Object> subject, List<StatusEntry> status, Format format,
                                   boolean kakehashiVocabulary) {

    /** How a credential is secured: VC 2.0 as {@code vc+jwt}, or a VC 1.1 JWT with the credential in {@code vc}. */
    public enum Format { VC2_JWT, VC11_JWT }

    /** Whether the credential has the type. */
    public boolean hasType(String type) {
        return types.contains(type);
    }

    /** The first of {@link Credentials#PARTICIPANT_TYPES} the credential has, if any. */
    public Optional<String> participantType() {
        return Credentials.PARTICIPANT_TYPES.stream().filter(types::contains).findFirst();
    }

    /** The JWT claim that holds a VC Data Model 1.1 credential. */
    public static final String VC_CLAIM = "vc";

    /** Whether a JWT payload is a VC Data Model 1.1 JWT (the credential in its {@code vc} claim). */
    public static boolean isVc11Jwt(Map<String, Object> payload) {
        return payload.get(VC_CLAIM) instanceof Map<?, ?>;
    }

    /** Reads the credential of a JWT payload of either form (see {@link #read} and {@link #readVc11Jwt}). */
    public static Result<VerifiableCredential> fromJwtPayload(Map<String, Object> payload) {
        return isVc11Jwt(payload) ? readVc11Jwt(payload) : read(payload);
    }

    /**
     * Reads a VC Data Model 1.1 JWT: the credential in {@code vc}, with the JWT claims standing in for what it leaves
     * out ({@code iss} for the issuer, {@code nbf} for {@code issuanceDate}, {@code exp} for {@code expirationDate}); when
     * both are given the JWT's {@code iss} must be the issuer and the earlier end counts. Like every JWT-secured
     * credential it is not JSON-LD processed, so neither its {@code @context} nor a {@code VerifiableCredential} type is
     * required (the DCP TCK sends neither); the checks that decide trust — signature, issuer, subject, dates, status —
     * apply unchanged.
     */
    @SuppressWarnings("unchecked")
    public static Result<VerifiableCredential> readVc11Jwt(Map<String, Object> payload) {
        if (!(payload.get(VC_CLAIM) instanceof Map<?, ?> vcJson)) {
            return Result.failure("credential JWT has no vc claim (VC Data Model 1.1)");
        }
        var vc = (Map<String, Object>) vcJson;
        var types = strings(vc.get("type"));
        if (types.isEmpty()) {
            return Result.failure("credential has no type");
        }
        var issuerValue = vc.get("issuer") instanceof Map<?, ?> issuerObject ? issuerObject.get("id") : vc.get("issuer");
        var jwtIssuer = payload.get("iss") instanceof String text ? text : null;
        var issuer = issuerValue instanceof String text && !text.isBlank() ? text : jwtIssuer;
        if (issuer == null || issuer.isBlank()) {
            return Result.failure("credential has no issuer");
        }
        if (jwtIssuer != null && !jwtIssuer.equals(issuer)) {
            return Result.failure("credential JWT issuer '%s' differs from its vc issuer '%s'".formatted(jwtIssuer, issuer));
        }
        var validFrom = vc.get("issuanceDate") != null ? instant(vc.get("issuanceDate")) : epochSeconds(payload.get("nbf"));
        if (validFrom.isEmpty()) {
            return Result.failure("credential has no valid issuanceDate");
        }
        Optional<Instant> validUntil = Optional.empty();
        if (vc.get("expirationDate") != null) {
            validUntil = instant(vc.get("expirationDate"));
            if (validUntil.isEmpty()) {
                return Result.failure("credential has an invalid expirationDate");
            }
        }
        var exp = epochSeconds(payload.get("exp"));
        if (exp.isPresent() && (validUntil.isEmpty() || exp.get().isBefore(validUntil.get()))) {
            validUntil = exp;
        }
        var id = vc.get("id") instanceof String text ? Optional.of(text) : Optional.<String>empty();
        var from = validFrom.get();
        var until = validUntil;
        var kakehashi = strings(vc.get("@context")).contains(Credentials.KAKEHASHI_CONTEXT);
        return subjectAndStatus(vc, (subject, subjectId, status) ->
                new VerifiableCredential(id, types, issuer, subjectId, from, until, subject, status, Format.VC11_JWT, kakehashi));
    }

    /** Reads a VC Data Model 2.0 credential's fields; a failure says which is missing or malformed. */
    public static Result<VerifiableCredential> read(Map<String, Object> json) {
        if (!(json.get("@context") instanceof List<?> contexts) || contexts.isEmpty() || !Credentials.VC_CONTEXT.equals(contexts.get(0))) {
            return Result.failure("credential does not start its @context with %s (VC Data Model 2.0)".formatted(Credentials.VC_CONTEXT));
        }
        var types = strings(json.get("type"));
        if (!types.contains(Credentials.VERIFIABLE_CREDENTIAL)) {
            return Result.failure("credential type %s lacks VerifiableCredential".formatted(types));
        }
        var issuer = json.get("issuer") instanceof Map<?, ?> issuerObject ? issuerObject.get("id") : json.get("issuer");
        if (!(issuer instanceof String issuerId) || issuerId.isBlank()) {
            return Result.failure("credential has no issuer");
        }
        var validFrom = instant(json.get("validFrom"));
        if (validFrom.isEmpty()) {
            return Result.failure("credential has no valid validFrom");
        }
        Optional<Instant> validUntil = Optional.empty();
        if (json.containsKey("validUntil")) {
            validUntil = instant(json.get("validUntil"));
            if (validUntil.isEmpty()) {
                return Result.failure("credential has an invalid validUntil");
            }
        }
        var id = json.get("id") instanceof String text ? Optional.of(text) : Optional.<String>empty();
        var until = validUntil;
        return subjectAndStatus(json, (subject, subjectId, status) ->
                new VerifiableCredential(id, types, issuerId, subjectId, validFrom.get(), until, subject, status, Format.VC2_JWT, true));
    }

    private interface Assembly {
        VerifiableCredential of(Map<String, Object> subject, String subjectId, List<StatusEntry> status);
    }

    private static Result<VerifiableCredential> subjectAndStatus(Map<String, Object> json, Assembly assembly) {
        if (!(json.get("credentialSubject") instanceof Map<?, ?> subjectJson)) {
            return Result.failure("credential has no single credentialSubject object");
        }
        @SuppressWarnings("unchecked")
        var subject = (Map<String, Object>) subjectJson;
        if (!(subject.get("id") instanceof String subjectId) || subjectId.isBlank()) {
            return Result.failure("credentialSubject has no id");
        }
        var status = new ArrayList<StatusEntry>();
        var statusJson = json.get("credentialStatus");
        for (var entry : statusJson == null ? List.of() : statusJson instanceof Collection<?> list ? list : List.of(statusJson)) {
            var parsed = StatusEntry.fromJson(entry);
            if (parsed.failed()) {
                return parsed.mapFailure();
            }
            status.add(parsed.getContent());
        }
        return Result.success(assembly.of(Map.copyOf(subject), subjectId, List.copyOf(status)));
    }

    static Optional<Instant> epochSeconds(Object value) {
        return value instanceof Number number ? Optional.of(Instant.ofEpochSecond(number.longValue())) : Optional.empty();
    }

    static List<String> strings(Object value) {
        if (value instanceof String text) {
            return List.of(text);
        }
        if (value instanceof Collection<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }

    static Optional<Instant> instant(Object value) {
        if (!(value instanceof String text)) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
