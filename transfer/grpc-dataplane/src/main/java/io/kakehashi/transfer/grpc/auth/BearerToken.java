package io.kakehashi.transfer.grpc.auth;

import io.grpc.CallCredentials;
import io.grpc.Metadata;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Puts a transfer token on each call as {@code authorization: Bearer <token>}, asking the supplier on
 * every call so that a refreshed token is used on the next one. Thread-safe if the supplier is.
 */
public final class BearerToken extends CallCredentials {

    private final Supplier<String> token;

    public BearerToken(Supplier<String> token) {
        this.token = token;
    }

    @Override
    public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
        var headers = new Metadata();
        var value = token.get();
        if (value != null) {
            headers.put(TransferAuthorization.AUTHORIZATION, "Bearer " + value);
        }
        applier.apply(headers);
    }
}
