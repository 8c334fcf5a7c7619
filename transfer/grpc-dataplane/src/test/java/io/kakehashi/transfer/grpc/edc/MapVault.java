package io.kakehashi.transfer.grpc.edc;

import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A test vault in memory. */
final class MapVault implements Vault {

    final Map<String, String> secrets = new ConcurrentHashMap<>();

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
