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
 * The content of a W3C VC 2.0 credential, read from a JWT payload (its signature is checked elsewhere). Immutable
 * and thread-safe.
 *
 * @param id         the credential's id, if any
 * @param types      its types, {@code VerifiableCredential} among them
 * @param issuer     the issuer's DID
 * @param subjectId  the subject's DID
 * @param validFrom  start of validity
 * @param validUntil end of validity, if any
 * @param subject    the credential subject's properties
 * @param status     its revocation entries
 */
public record VerifiableCredential(Optional<String> id, List<String> types, String issuer, String subjectId, Instant validFrom,
                                   Optional<Instant> validUntil, Map<String, Object> subject, List<StatusEntry> status) {

    /** Whether the credential has the type. */
    public boolean hasType(String type) {
        return types.contains(type);
    }

    /** The first of {@link Credentials#PARTICIPANT_TYPES} the credential has, if any. */
    public Optional<String> participantType() {
        return Credentials.PARTICIPANT_TYPES.stream().filter(types::contains).findFirst();
    }

    /** Reads the credential's fields; a failure says which is missing or malformed. */
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
        var id = json.get("id") instanceof String text ? Optional.of(text) : Optional.<String>empty();
        return Result.success(new VerifiableCredential(id, types, issuerId, subjectId, validFrom.get(), validUntil, Map.copyOf(subject), List.copyOf(status)));
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
