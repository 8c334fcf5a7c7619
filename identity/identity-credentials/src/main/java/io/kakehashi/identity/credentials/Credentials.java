package io.kakehashi.identity.credentials;

import io.kakehashi.identity.spi.AuditorCredential;

import java.util.List;

/**
 * The vocabulary of Kakehashi's credentials: the W3C VC 2.0 context, credential types and subject properties. A
 * credential is a JSON object secured as a JWT ({@code typ: vc+jwt}, VC-JOSE-COSE) whose payload is the credential.
 */
public final class Credentials {

    public static final String VC_CONTEXT = "https://www.w3.org/ns/credentials/v2";
    /** Names the subject properties below; JWT-secured credentials are not JSON-LD processed, so nothing fetches it. */
    /** The context of VC Data Model 1.1. */
    public static final String VC11_CONTEXT = "https://www.w3.org/2018/credentials/v1";
    public static final String KAKEHASHI_CONTEXT = "https://w3id.org/kakehashi/credentials/v1";
    public static final List<String> CONTEXTS = List.of(VC_CONTEXT, KAKEHASHI_CONTEXT);

    public static final String VERIFIABLE_CREDENTIAL = "VerifiableCredential";
    public static final String MEMBERSHIP = "MembershipCredential";
    public static final String LEGAL_ENTITY = "LegalEntityCredential";
    public static final String CERTIFICATION = "CertificationCredential";
    /** An auditor's credential: which participants' decision logs it may read ({@link AuditorCredential}). */
    public static final String AUDITOR = AuditorCredential.TYPE;
    public static final String STATUS_LIST = "BitstringStatusListCredential";
    /** The credential types a connector's holder and verifier know. */
    public static final List<String> PARTICIPANT_TYPES = List.of(MEMBERSHIP, LEGAL_ENTITY, CERTIFICATION);

    /** JOSE {@code typ} of a JWT-secured credential. */
    public static final String VC_JWT_TYPE = "vc+jwt";
    /** JOSE {@code typ} of a JWT-secured presentation. */
    public static final String VP_JWT_TYPE = "vp+jwt";

    /** MembershipCredential: the dataspace's name. */
    public static final String MEMBER_OF = "memberOf";
    /** LegalEntityCredential: the registered legal name. */
    public static final String LEGAL_NAME = "legalName";
    /** LegalEntityCredential: ISO 3166-1 alpha-2 country of registration. */
    public static final String COUNTRY_OF_REGISTRATION = "countryOfRegistration";
    /** LegalEntityCredential: {@code JCN:<13 digits>} or {@code LEI:<20 characters>}. */
    public static final String REGISTRY_ID = "registryId";
    /** CertificationCredential: the certification's name, e.g. {@code ISO27001}. */
    public static final String CERTIFICATION_NAME = "certification";
    /** AuditorCredential: the participant ids or DIDs it may audit, or {@code *}. */
    public static final String AUDIT_SCOPE = AuditorCredential.AUDIT_SCOPE;

    private Credentials() {
    }
}
