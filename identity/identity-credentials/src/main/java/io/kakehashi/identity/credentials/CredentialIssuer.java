package io.kakehashi.identity.credentials;

import com.nimbusds.jose.jwk.ECKey;
import org.eclipse.edc.spi.result.Result;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Issues JWT-secured VC 2.0 credentials (or VC 1.1 JWT credentials, the form EDC 0.15.1 verifies) and status list
 * credentials, signed with the issuer's key. Every subject is checked by {@link SubjectRules} before anything is
 * signed. Thread-safe.
 */
public class CredentialIssuer {

    private final String issuerDid;
    private final ECKey key;
    private final String keyId;

    /**
     * @param issuerDid the issuer's DID
     * @param key       its private signing key
     * @param keyId     the verification-method id of the key in the issuer's DID document ({@code did#fragment})
     */
    public CredentialIssuer(String issuerDid, ECKey key, String keyId) {
        this.issuerDid = issuerDid;
        this.key = key;
        this.keyId = keyId;
    }

    /** A membership subject. */
    public static Map<String, Object> membership(String holderDid, String dataspace) {
        return subject(holderDid, Map.of(Credentials.MEMBER_OF, dataspace));
    }

    /** A legal-entity subject; {@code registryId} is {@code JCN:…} or {@code LEI:…}. */
    public static Map<String, Object> legalEntity(String holderDid, String legalName, String country, String registryId) {
        return subject(holderDid, Map.of(Credentials.LEGAL_NAME, legalName, Credentials.COUNTRY_OF_REGISTRATION, country,
                Credentials.REGISTRY_ID, registryId));
    }

    /** A certification subject, e.g. {@code ISO27001}; its validity is the credential's. */
    public static Map<String, Object> certification(String holderDid, String certification) {
        return subject(holderDid, Map.of(Credentials.CERTIFICATION_NAME, certification));
    }

    /** An auditor subject: the participant ids or DIDs whose decision logs the auditor may read, or {@code *}. */
    public static Map<String, Object> auditor(String holderDid, List<String> auditScope) {
        return subject(holderDid, Map.of(Credentials.AUDIT_SCOPE, List.copyOf(auditScope)));
    }

    /**
     * Issues a credential of {@code type} for {@code subject} (which holds the holder's DID as {@code id}).
     *
     * @param validUntil end of validity, or null for none
     * @param status     its status list entry, or null for none
     */
    public Result<String> issue(String type, Map<String, Object> subject, Instant validFrom, Instant validUntil, StatusEntry status) {
        var check = SubjectRules.check(type, subject);
        if (check.failed()) {
            return check.mapFailure();
        }
        if (validUntil != null && !validUntil.isAfter(validFrom)) {
            return Result.failure("validUntil %s is not after validFrom %s".formatted(validUntil, validFrom));
        }
        var id = "urn:uuid:" + UUID.randomUUID();
        var credential = new LinkedHashMap<String, Object>();
        credential.put("@context", Credentials.CONTEXTS);
        credential.put("id", id);
        credential.put("type", List.of(Credentials.VERIFIABLE_CREDENTIAL, type));
        credential.put("issuer", issuerDid);
        credential.put("validFrom", validFrom.toString());
        if (validUntil != null) {
            credential.put("validUntil", validUntil.toString());
        }
        credential.put("credentialSubject", subject);
        if (status != null) {
            credential.put("credentialStatus", status.toJson());
        }
        // JWT claims beside the credential (VC-JOSE-COSE allows them); verifiers go by the credential's own fields
        credential.put("iss", issuerDid);
        credential.put("sub", subject.get("id"));
        credential.put("jti", id);
        credential.put("iat", validFrom.getEpochSecond());
        return Jws.sign(credential, key, keyId, Credentials.VC_JWT_TYPE);
    }

    /**
     * Issues a VC Data Model 1.1 JWT credential of {@code type} for {@code subject}: the credential in the {@code vc}
     * claim (contexts VC 1.1 and Kakehashi's, {@code issuanceDate}, {@code expirationDate}, the status entry), and
     * beside it {@code iss}, {@code sub} (the holder — EDC requires it), {@code jti}, {@code nbf}, {@code iat} and
     * {@code exp}. The same checks as {@link #issue} apply first.
     */
    public Result<String> issueVc11(String type, Map<String, Object> subject, Instant validFrom, Instant validUntil, StatusEntry status) {
        var check = SubjectRules.check(type, subject);
        if (check.failed()) {
            return check.mapFailure();
        }
        if (validUntil != null && !validUntil.isAfter(validFrom)) {
            return Result.failure("validUntil %s is not after validFrom %s".formatted(validUntil, validFrom));
        }
        var id = "urn:uuid:" + UUID.randomUUID();
        var vc = new LinkedHashMap<String, Object>();
        vc.put("@context", List.of(Credentials.VC11_CONTEXT, Credentials.KAKEHASHI_CONTEXT));
        vc.put("id", id);
        vc.put("type", List.of(Credentials.VERIFIABLE_CREDENTIAL, type));
        vc.put("issuer", issuerDid);
        vc.put("issuanceDate", validFrom.toString());
        if (validUntil != null) {
            vc.put("expirationDate", validUntil.toString());
        }
        vc.put("credentialSubject", subject);
        if (status != null) {
            vc.put("credentialStatus", status.toJson());
        }
        var claims = new LinkedHashMap<String, Object>();
        claims.put("iss", issuerDid);
        claims.put("sub", subject.get("id"));
        claims.put("jti", id);
        claims.put("nbf", validFrom.getEpochSecond());
        claims.put("iat", validFrom.getEpochSecond());
        if (validUntil != null) {
            claims.put("exp", validUntil.getEpochSecond());
        }
        claims.put(VerifiableCredential.VC_CLAIM, vc);
        return Jws.sign(claims, key, keyId, "JWT");
    }

    /** Issues the status list credential published at {@code url}. */
    public Result<String> statusList(String url, StatusList list, Instant validFrom, Instant validUntil) {
        var subject = new LinkedHashMap<String, Object>();
        subject.put("id", url + "#list");
        subject.put("type", "BitstringStatusList");
        subject.put("statusPurpose", StatusEntry.REVOCATION);
        subject.put("encodedList", list.encode());
        var credential = new LinkedHashMap<String, Object>();
        credential.put("@context", List.of(Credentials.VC_CONTEXT));
        credential.put("id", url);
        credential.put("type", List.of(Credentials.VERIFIABLE_CREDENTIAL, Credentials.STATUS_LIST));
        credential.put("issuer", issuerDid);
        credential.put("validFrom", validFrom.toString());
        if (validUntil != null) {
            credential.put("validUntil", validUntil.toString());
        }
        credential.put("credentialSubject", subject);
        credential.put("iss", issuerDid);
        credential.put("iat", validFrom.getEpochSecond());
        return Jws.sign(credential, key, keyId, Credentials.VC_JWT_TYPE);
    }

    private static Map<String, Object> subject(String holderDid, Map<String, Object> properties) {
        var subject = new LinkedHashMap<String, Object>();
        subject.put("id", holderDid);
        new ArrayList<>(properties.keySet()).stream().sorted().forEach(k -> subject.put(k, properties.get(k)));
        return subject;
    }
}
