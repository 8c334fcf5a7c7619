package io.kakehashi.testfixtures;

import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A vault held in a map, for tests: what is stored can be read back, and a test may look at or seed {@link #secrets}
 * directly. Thread-safe.
 */
public final class MapVault implements Vault {

    /** The entries by alias. */
    public final Map<String, String> secrets = new ConcurrentHashMap<>();

    @Override
    public String resolveSecret(String key) {
        return secrets.get(key);
    }

    @Override
    public Result<Void> storeSecret(String key, String value) {
        secrets.put(key, value);
        return Result.success();
    }

    @Override
    public Result<Void> deleteSecret(String key) {
        secrets.remove(key);
        return Result.success();
    }
}
