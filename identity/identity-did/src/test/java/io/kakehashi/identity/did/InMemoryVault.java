package io.kakehashi.identity.did;

import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A vault for tests. */
public class InMemoryVault implements Vault {

    private final Map<String, String> secrets = new ConcurrentHashMap<>();

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
