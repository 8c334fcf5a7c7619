package io.kakehashi.core.vault;

import io.kakehashi.core.security.SecretSource;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;
import org.jetbrains.annotations.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;

/**
 * A vault kept in a password-protected PKCS#12 file. Every secret is a secret-key entry encrypted with the store
 * password. Each write goes to a temporary file that is flushed to disk and then moved over the old one, so a crash
 * leaves either the old or the new vault, never a torn one.
 * <p>
 * Each entry is decrypted once and its value kept in memory: a PKCS#12 entry costs a password-based key derivation
 * (thousands of HMAC rounds) every time it is read, and the secret redactor reads every secret again after each write:
 * at a first start, when the connector stores its keys one after another, that was about 5 % of the start-up's sampled
 * Java time (docs/benchmarks.md, "Start-up next to stock EDC"). The values are in memory anyway, in the secret
 * redactor's index.
 * <p>
 * Thread-safe: every operation holds the instance lock.
 */
public class KeystoreVault implements Vault, SecretSource {

    private static final String KEYSTORE_TYPE = "PKCS12";
    // PKCS#12 stores the algorithm name with the entry; AES keeps the JDK's encoder happy for any byte length
    private static final String ENTRY_ALGORITHM = "AES";

    private final Path file;
    private final char[] password;
    private final KeyStore keyStore;
    /** The decrypted value of every secret entry read or written so far, by alias; follows {@link #keyStore}. */
    private final Map<String, String> decrypted = new HashMap<>();
    /** Counts the writes, so the secret redactor knows when to read the secrets again. */
    private long version;

    private KeystoreVault(Path file, char[] password, KeyStore keyStore) {
        this.file = file;
        this.password = password;
        this.keyStore = keyStore;
    }

    /**
     * Opens the vault at {@code file}, creating an empty one when the file does not exist.
     *
     * @return the vault, or a failure when the file cannot be read or the password does not open it
     */
    public static Result<KeystoreVault> open(Path file, char[] password) {
        try {
            var keyStore = KeyStore.getInstance(KEYSTORE_TYPE);
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    keyStore.load(in, password);
                }
            } else {
                keyStore.load(null, password);
            }
            var vault = new KeystoreVault(file, password.clone(), keyStore);
            if (!Files.exists(file)) {
                vault.persist();
            }
            return Result.success(vault);
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                return Result.failure("the vault password does not open %s".formatted(file));
            }
            return Result.failure("cannot read vault %s: %s".formatted(file, e.getMessage()));
        } catch (GeneralSecurityException e) {
            return Result.failure("cannot open vault %s: %s".formatted(file, e.getMessage()));
        }
    }

    @Override
    public synchronized @Nullable String resolveSecret(String key) {
        var known = decrypted.get(key);
        if (known != null) {
            return known;
        }
        try {
            var entry = keyStore.getEntry(key, new KeyStore.PasswordProtection(password));
            if (entry instanceof KeyStore.SecretKeyEntry secret) {
                var value = new String(secret.getSecretKey().getEncoded(), StandardCharsets.UTF_8);
                decrypted.put(key, value);
                return value;
            }
            return null;
        } catch (GeneralSecurityException e) {
            throw new EdcException("Vault entry '%s' cannot be read".formatted(key), e);
        }
    }

    @Override
    public synchronized Result<Void> storeSecret(String key, String value) {
        if (key == null || key.isBlank()) {
            return Result.failure("a vault key must not be empty");
        }
        if (value == null || value.isEmpty()) {
            return Result.failure("the secret for '%s' must not be empty".formatted(key));
        }
        try {
            var entry = new KeyStore.SecretKeyEntry(new SecretKeySpec(value.getBytes(StandardCharsets.UTF_8), ENTRY_ALGORITHM));
            keyStore.setEntry(key, entry, new KeyStore.PasswordProtection(password));
            decrypted.put(key, value);
            version++;
            persist();
            return Result.success();
        } catch (GeneralSecurityException | IOException e) {
            return Result.failure("cannot store '%s' in the vault: %s".formatted(key, e.getMessage()));
        }
    }

    @Override
    public synchronized Result<Void> deleteSecret(String key) {
        try {
            if (!keyStore.containsAlias(key)) {
                return Result.failure("no secret '%s' in the vault".formatted(key));
            }
            keyStore.deleteEntry(key);
            decrypted.remove(key);
            version++;
            persist();
            return Result.success();
        } catch (GeneralSecurityException | IOException e) {
            return Result.failure("cannot delete '%s' from the vault: %s".formatted(key, e.getMessage()));
        }
    }

    /** Every secret the vault holds, for the secret redactor. */
    @Override
    public synchronized Collection<String> secrets() {
        try {
            List<String> secrets = new ArrayList<>();
            for (var alias : Collections.list(keyStore.aliases())) {
                var secret = resolveSecret(alias);
                if (secret != null) {
                    secrets.add(secret);
                }
            }
            return secrets;
        } catch (GeneralSecurityException e) {
            throw new EdcException("The vault's entries cannot be listed", e);
        }
    }

    @Override
    public synchronized long version() {
        return version;
    }

    private void persist() throws IOException, GeneralSecurityException {
        var parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        var tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            try (var channel = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 var out = java.nio.channels.Channels.newOutputStream(channel)) {
                keyStore.store(out, password);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
