package io.kakehashi.transfer.grpc.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusException;

import java.time.Clock;
import java.util.Objects;

/**
 * The access check of the gRPC data plane. As a {@link ServerInterceptor} it refuses every call without a
 * valid bearer token ({@code UNAUTHENTICATED}) and puts the token's claims into the call's context; the
 * services then call {@link #requireTransfer(String)} with the transfer a request names
 * ({@code PERMISSION_DENIED} when it is another one) and {@link #recheck()} while a long stream runs.
 * Thread-safe.
 */
public final class TransferAuthorization implements ServerInterceptor {

    /** The metadata header that carries the token, as {@code Bearer <token>}. */
    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";
    private static final Context.Key<Grant> GRANT = Context.key("kakehashi-transfer-grant");

    private final TransferTokenVerifier verifier;
    private final Clock clock;

    public TransferAuthorization(TransferTokenVerifier verifier, Clock clock) {
        this.verifier = Objects.requireNonNull(verifier);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        var header = headers.get(AUTHORIZATION);
        if (header == null || !header.startsWith(BEARER) || header.length() == BEARER.length()) {
            call.close(Status.UNAUTHENTICATED.withDescription("no bearer token"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        var token = header.substring(BEARER.length());
        var verified = verify(token);
        if (verified.status != null) {
            call.close(verified.status, new Metadata());
            return new ServerCall.Listener<>() { };
        }
        var context = Context.current().withValue(GRANT, new Grant(token, verified.claims));
        return Contexts.interceptCall(context, call, headers, next);
    }

    /**
     * The claims of the current call, checked to be scoped to {@code transferId}.
     *
     * @throws StatusException {@code UNAUTHENTICATED} outside an authorised call, {@code PERMISSION_DENIED}
     *                         when the token is scoped to another transfer
     */
    public TransferClaims requireTransfer(String transferId) throws StatusException {
        var grant = GRANT.get();
        if (grant == null) {
            throw Status.UNAUTHENTICATED.withDescription("call not authorised").asException();
        }
        if (!grant.claims.transferId().equals(transferId)) {
            throw Status.PERMISSION_DENIED.withDescription("the token is not scoped to this transfer").asException();
        }
        return grant.claims;
    }

    /**
     * A handle on the current call's token that a long stream keeps and re-checks from any thread.
     * Must be called on the call's own thread (where its context is attached).
     */
    public Recheck currentGrant() throws StatusException {
        var grant = GRANT.get();
        if (grant == null) {
            throw Status.UNAUTHENTICATED.withDescription("call not authorised").asException();
        }
        return () -> {
            var again = verify(grant.token);
            if (again.status != null) {
                return again.status;
            }
            return again.claims.transferId().equals(grant.claims.transferId()) ? null
                    : Status.PERMISSION_DENIED.withDescription("the token is not scoped to this transfer");
        };
    }

    private Verified verify(String token) {
        var result = verifier.verify(token);
        if (result.failed()) {
            return new Verified(null, Status.UNAUTHENTICATED.withDescription("invalid token: " + result.getFailureDetail()));
        }
        if (result.getContent().isExpiredAt(clock.instant())) {
            return new Verified(null, Status.UNAUTHENTICATED.withDescription("token expired"));
        }
        return new Verified(result.getContent(), null);
    }

    /** Re-verifies a stream's token; answers null while it is still valid, else the status to end the stream with. */
    @FunctionalInterface
    public interface Recheck {
        Status check();
    }

    private record Grant(String token, TransferClaims claims) { }

    private record Verified(TransferClaims claims, Status status) { }
}
