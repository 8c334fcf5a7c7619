package io.kakehashi.samples.dcptck;

/**
 * The DCP role whose TCK tests one run checks; each run has its own connector, since the verifier's tests need the
 * TCK's own token service and the credential service's tests the connector's ({@code docs/dcp-tck.md}).
 */
enum Role {
    /** The connector verifies presentations of the TCK's holder (the TCK posts DSP catalog requests to it). */
    VERIFIER,
    /** The connector's embedded holder answers the TCK's verifier and receives the TCK issuer's credentials. */
    CREDENTIAL_SERVICE;

    static final String PROPERTY = "kakehashi.dcp.tck.role";

    static Role current() {
        var value = System.getProperty(PROPERTY, "");
        return switch (value) {
            case "verifier" -> VERIFIER;
            case "credential-service" -> CREDENTIAL_SERVICE;
            default -> throw new IllegalStateException("system property '%s' is '%s', not verifier or credential-service: run the TCK through Maven (./mvnw -pl samples/dcp-tck verify)"
                    .formatted(PROPERTY, value));
        };
    }
}
