package io.kakehashi.identity.credentials.fuzz;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import io.kakehashi.identity.credentials.CredentialVerifier;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.StatusListResolver;
import io.kakehashi.identity.credentials.TrustedIssuers;
import io.kakehashi.identity.did.DidPublicKeys;
import io.kakehashi.identity.did.OwnDid;
import org.eclipse.edc.iam.did.resolution.DidResolverRegistryImpl;
import org.eclipse.edc.iam.did.spi.document.DidDocument;
import org.eclipse.edc.iam.did.spi.resolution.DidResolver;
import org.eclipse.edc.spi.result.Result;
import org.jetbrains.annotations.NotNull;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fixed identities for the fuzz targets of tokens, credentials and presentations: a dataspace authority, a holder
 * (alice), the verifying connector (bob) and an attacker (mallory) whose key is in no DID document. The keys are fixed
 * test keys (they sign nothing outside tests) so that the signed regression inputs in src/test/resources keep
 * verifying; the clock is fixed at {@link #NOW} for the same reason. DID documents are served from memory, so no
 * socket is involved.
 */
public final class FuzzIdentities {

    public static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    public static final Duration SKEW = Duration.ofSeconds(30);

    public static final String AUTHORITY_DID = "did:web:authority.test";
    public static final String ALICE_DID = "did:web:alice.test";
    public static final String BOB_DID = "did:web:bob.test";

    public static final ECKey AUTHORITY_KEY = key("""
            {"kty":"EC","crv":"P-256","x":"gttQN1CsePtL1YYg8z3ahJqWC3uPOhIvhi76Hs0jeYg","y":"JGYiXTtoIYrLjfYATKxUrXAZjTfDJoCFYEfcHP-dNb4",\
            "d":"QJPesoAyF02VGO5N5VFUUzukfYXApqgZm9fuo3qTsQE","kid":"authority-key"}""");
    public static final ECKey ALICE_KEY = key("""
            {"kty":"EC","crv":"P-256","x":"tW4Lp5PHLgLvfxIzmdxoVz2KmvNB7GdF-qp77jkzzDU","y":"FoxQWmy0HDY5dNM8HUkanCNt9BG7MftSdUBMzOy-7Ps",\
            "d":"3qQCZokKA-a0NJIQwCOULZdmMAQk6Loud5qijZGu9Iw","kid":"alice-key"}""");
    public static final ECKey MALLORY_KEY = key("""
            {"kty":"EC","crv":"P-256","x":"5H5Xme6Z0OZgWPSTunn2TCcThrV2UKUsvUJYZPtRpYE","y":"iROx_RDcxNUJyrQD9YjVOmzRy2dzqb9HPkTKhqW9HR4",\
            "d":"4icJC4zGbUV1Fc-Ju3lNh6ei8JB4auSPqW9JO0PjsmI","kid":"mallory-key"}""");

    private static final ObjectMapper MAPPER = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private FuzzIdentities() {
    }

    /** Public-key look-up over the in-memory DID documents of the authority and alice; a fresh cache each call. */
    public static DidPublicKeys publicKeys() {
        var documents = Map.of(
                AUTHORITY_DID, document(AUTHORITY_DID, AUTHORITY_KEY),
                ALICE_DID, document(ALICE_DID, ALICE_KEY));
        DidResolver resolver = new DidResolver() {
            @Override
            public @NotNull String getMethod() {
                return "web";
            }

            @Override
            public @NotNull Result<DidDocument> resolve(String did) {
                var document = documents.get(did);
                return document == null ? Result.failure("DID '%s' is unknown".formatted(did)) : Result.success(document);
            }
        };
        var registry = new DidResolverRegistryImpl(CLOCK, Duration.ofMinutes(5).toMillis());
        registry.register(resolver);
        return new DidPublicKeys(registry, resolver, CLOCK, Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    /** A credential verifier trusting the authority for every participant type; status lists cannot be fetched. */
    public static CredentialVerifier credentialVerifier(DidPublicKeys keys) {
        var trusted = new TrustedIssuers(List.of(new TrustedIssuers.TrustedIssuer(AUTHORITY_DID, Set.copyOf(Credentials.PARTICIPANT_TYPES))));
        var statusLists = new StatusListResolver(url -> Result.failure("no status list is served while fuzzing"), keys, CLOCK, Duration.ofMinutes(5));
        return new CredentialVerifier(keys, trusted, statusLists, CLOCK, SKEW);
    }

    private static DidDocument document(String did, ECKey key) {
        var withId = new ECKey.Builder(key).keyID(key.getKeyID()).build();
        return MAPPER.convertValue(OwnDid.document(did, List.of(withId), "https://" + did.substring("did:web:".length()) + "/cs"), DidDocument.class);
    }

    private static ECKey key(String json) {
        try {
            return ECKey.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
