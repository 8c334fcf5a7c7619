package io.kakehashi.identity.credentials;

import io.kakehashi.identity.spi.RegistryIdentifier;
import org.eclipse.edc.spi.result.Result;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What each Kakehashi credential type's subject must hold, checked by the issuer before signing and by the verifier
 * after: a membership names its dataspace; a legal entity has a legal name, an ISO 3166-1 alpha-2 country and a
 * registry identifier whose check digits verify (Japanese corporate number or LEI); a certification names itself; an
 * auditor credential lists the participants it may audit ({@code auditScope}: non-empty text entries, {@code *} for all).
 * Thread-safe.
 */
public final class SubjectRules {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private SubjectRules() {
    }

    /** Checks the subject of a credential of the given type; types other than Kakehashi's pass unchecked. */
    public static Result<Void> check(String type, Map<String, Object> subject) {
        return switch (type) {
            case Credentials.MEMBERSHIP -> text(subject, Credentials.MEMBER_OF, type).mapEmpty();
            case Credentials.LEGAL_ENTITY -> text(subject, Credentials.LEGAL_NAME, type)
                    .compose(ignored -> text(subject, Credentials.COUNTRY_OF_REGISTRATION, type))
                    .compose(SubjectRules::country)
                    .compose(ignored -> text(subject, Credentials.REGISTRY_ID, type))
                    .compose(id -> RegistryIdentifier.parse(id).mapEmpty());
            case Credentials.CERTIFICATION -> text(subject, Credentials.CERTIFICATION_NAME, type).mapEmpty();
            case Credentials.AUDITOR -> auditScope(subject);
            default -> Result.success();
        };
    }

    /**
     * Checks only the properties of Kakehashi's vocabulary a subject holds: a country of registration must be an ISO
     * 3166-1 alpha-2 code and a registry identifier must verify. For credentials not issued in Kakehashi's vocabulary
     * (VC 1.1 JWTs from other issuers), whose types share a name but not the required properties.
     */
    public static Result<Void> checkGiven(Map<String, Object> subject) {
        if (subject.containsKey(Credentials.COUNTRY_OF_REGISTRATION)) {
            var country = country(subject.get(Credentials.COUNTRY_OF_REGISTRATION) instanceof String text ? text : null);
            if (country.failed()) {
                return country;
            }
        }
        if (subject.containsKey(Credentials.REGISTRY_ID)) {
            return RegistryIdentifier.parse(subject.get(Credentials.REGISTRY_ID) instanceof String text ? text : null).mapEmpty();
        }
        return Result.success();
    }

    /** Whether {@code code} is an ISO 3166-1 alpha-2 country code (upper case). */
    public static Result<Void> country(String code) {
        return code != null && code.length() == 2 && COUNTRIES.contains(code) ? Result.success()
                : Result.failure("country of registration '%s' is not an ISO 3166-1 alpha-2 code".formatted(code));
    }

    private static Result<Void> auditScope(Map<String, Object> subject) {
        if (!(subject.get(Credentials.AUDIT_SCOPE) instanceof List<?> scope) || scope.isEmpty()
                || scope.stream().anyMatch(entry -> !(entry instanceof String text) || text.isBlank())) {
            return Result.failure("%s subject has no '%s' (a non-empty list of participant ids or DIDs, or \"*\")"
                    .formatted(Credentials.AUDITOR, Credentials.AUDIT_SCOPE));
        }
        return Result.success();
    }

    private static Result<String> text(Map<String, Object> subject, String key, String type) {
        return subject.get(key) instanceof String value && !value.isBlank() ? Result.success(value)
                : Result.failure("%s subject has no '%s'".formatted(type, key));
    }
}
