package io.kakehashi.identity.spi;

/**
 * The auditor credential a dataspace authority issues to an auditor: its subject is the auditor's DID, and its
 * {@value #AUDIT_SCOPE} the participants whose connectors it may audit — participant ids or DIDs, or {@value #ANY}
 * for every participant.
 */
public final class AuditorCredential {

    /** The credential type. */
    public static final String TYPE = "AuditorCredential";
    /** The subject property: a non-empty list of participant ids or DIDs, or {@value #ANY}. */
    public static final String AUDIT_SCOPE = "auditScope";
    /** The scope entry that covers every participant. */
    public static final String ANY = "*";

    private AuditorCredential() {
    }
}
