package io.kakehashi.identity.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.text.ParseException;

/**
 * Finds an EC P-256 key pair in the vault by alias, or makes one with the JDK's EC provider and stores it there as a
 * JWK, so the same key is used after every restart. Thread-safe: creation is serialised per instance.
 */
public class VaultKeyPairs {

    private final Vault vault;

    public VaultKeyPairs(Vault vault) {
        this.vault = vault;
    }

    /**
     * Returns the private key (with its public half) stored under {@code alias}, generating and storing it first
     * when the vault has none.
     */
    public synchronized Result<ECKey> ensure(String alias) {
        var stored = vault.resolveSecret(alias);
        if (stored != null) {
            return parsePrivate(alias, stored);
        }
        return generate()
                .compose(key -> vault.storeSecret(alias, key.toJSONString())
                        .map(ignored -> key));
    }

    /**
     * Stores the public half of {@code key} under {@code alias} unless the vault already holds exactly that key.
     */
    public synchronized Result<Void> ensurePublic(String alias, ECKey key) {
        var publicJwk = key.toPublicJWK().toJSONString();
        if (publicJwk.equals(vault.resolveSecret(alias))) {
            return Result.success();
        }
        return vault.storeSecret(alias, publicJwk);
    }

    /** Makes a fresh EC P-256 key pair; its key id is its RFC 7638 thumbprint. */
    public static Result<ECKey> generate() {
        try {
            // the JVM's EC provider (SunEC on a stock JDK): the same P-256 keys Bouncy Castle's made, without building Bouncy
            // Castle's provider, which loads a few hundred classes and cost about 0.4 CPU-s of every start (docs/benchmarks.md)
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            var pair = generator.generateKeyPair();
            var key = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic())
                    .privateKey((ECPrivateKey) pair.getPrivate())
                    .keyIDFromThumbprint()
                    .build();
            return Result.success(key);
        } catch (GeneralSecurityException | JOSEException e) {
            return Result.failure("cannot generate an EC P-256 key: " + e.getMessage());
        }
    }

    private static Result<ECKey> parsePrivate(String alias, String json) {
        try {
            var key = ECKey.parse(json);
            if (!key.isPrivate() || !Curve.P_256.equals(key.getCurve())) {
                return Result.failure("vault entry '%s' is not a private EC P-256 JWK".formatted(alias));
            }
            return Result.success(key);
        } catch (ParseException e) {
            return Result.failure("vault entry '%s' is not a JWK: %s".formatted(alias, e.getMessage()));
        }
    }
}
