package io.kakehashi.identity.issuer;

import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The authority's TLS key for {@code serve}: a PKCS#12 keystore that must open with the password and hold a key entry.
 * Stateless and thread-safe.
 */
final class TlsKeystore {

    static final String PASSWORD_ENV = "KAKEHASHI_TLS_KEYSTORE_PASSWORD";
    static final String[] PROTOCOLS = { "TLSv1.3", "TLSv1.2" };

    private TlsKeystore() {
    }

    /** A server SSL context with the keystore's key; the failure says what is wrong, never the password. */
    static Result<SSLContext> serverContext(Path path, String password) {
        if (password == null) {
            return Result.failure("no keystore password in the environment variable " + PASSWORD_ENV);
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            return Result.failure("the keystore '%s' does not exist or cannot be read".formatted(path));
        }
        try (InputStream in = Files.newInputStream(path)) {
            var store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            if (Collections.list(store.aliases()).stream().noneMatch(alias -> isKey(store, alias))) {
                return Result.failure("the keystore '%s' holds no private key".formatted(path));
            }
            var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password.toCharArray());
            var context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return Result.success(context);
        } catch (IOException | GeneralSecurityException e) {
            return Result.failure("the keystore '%s' cannot be opened as PKCS#12 with the given password".formatted(path));
        }
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
