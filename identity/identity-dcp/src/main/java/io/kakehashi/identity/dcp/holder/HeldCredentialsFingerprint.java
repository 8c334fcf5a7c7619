package io.kakehashi.identity.dcp.holder;

/**
 * What the verifier side may know of the credentials this connector holds: a fingerprint of the set, which changes
 * exactly when a credential is received, replaced or removed ({@link CredentialStore#fingerprint()}). Outgoing
 * requests reuse an access token only while it stays the same (decision 0044). Thread-safe.
 */
@FunctionalInterface
public interface HeldCredentialsFingerprint {

    String current();
}
