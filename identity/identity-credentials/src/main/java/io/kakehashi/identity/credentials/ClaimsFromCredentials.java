package io.kakehashi.identity.credentials;

import io.kakehashi.identity.spi.Certification;
import io.kakehashi.identity.spi.RegistryIdentifier;
import io.kakehashi.identity.spi.VerifiedClaims;
import org.eclipse.edc.spi.result.Result;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Turns a peer's verified credentials into the typed claims policies read: memberships from MembershipCredentials,
 * legal name, country and registry identifier from its LegalEntityCredential, certifications (with the credential's
 * validity dates) from CertificationCredentials — all from VC 2.0 credentials in Kakehashi's vocabulary; a VC 1.1
 * credential adds only a membership it names. Two legal-entity credentials that disagree are refused. Thread-safe.
 */
public final class ClaimsFromCredentials {

    private ClaimsFromCredentials() {
    }

    public static Result<VerifiedClaims> claims(String participantDid, List<VerifiableCredential> credentials) {
        var memberships = new HashSet<String>();
        var certifications = new ArrayList<Certification>();
        Optional<String> legalName = Optional.empty();
        Optional<String> country = Optional.empty();
        Optional<RegistryIdentifier> registryId = Optional.empty();
        for (var credential : credentials) {
            var subject = credential.subject();
            // a VC 1.1 credential of another vocabulary counts for its type but adds only the claims it names; one in
            // Kakehashi's (its @context names it, as the issuer tool's VC 1.1 credentials do) fills them all
            if (credential.hasType(Credentials.MEMBERSHIP) && subject.get(Credentials.MEMBER_OF) instanceof String dataspace) {
                memberships.add(dataspace);
            }
            if (credential.format() == VerifiableCredential.Format.VC11_JWT && !credential.kakehashiVocabulary()) {
                continue;
            }
            if (credential.hasType(Credentials.CERTIFICATION)) {
                certifications.add(new Certification((String) subject.get(Credentials.CERTIFICATION_NAME), credential.validFrom(), credential.validUntil()));
            }
            if (credential.hasType(Credentials.LEGAL_ENTITY)) {
                var name = (String) subject.get(Credentials.LEGAL_NAME);
                var code = (String) subject.get(Credentials.COUNTRY_OF_REGISTRATION);
                var id = RegistryIdentifier.parse((String) subject.get(Credentials.REGISTRY_ID));
                if (id.failed()) {
                    return id.mapFailure();
                }
                if (legalName.isPresent() && (!legalName.get().equals(name) || !country.get().equals(code) || !registryId.get().equals(id.getContent()))) {
                    return Result.failure("two LegalEntityCredentials of '%s' disagree".formatted(participantDid));
                }
                legalName = Optional.of(name);
                country = Optional.of(code);
                registryId = Optional.of(id.getContent());
            }
        }
        return Result.success(new VerifiedClaims(participantDid, country, legalName, registryId, memberships, certifications));
    }
}
