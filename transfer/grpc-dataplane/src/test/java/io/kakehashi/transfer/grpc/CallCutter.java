package io.kakehashi.transfer.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A test interceptor that drops a call like a broken connection (UNAVAILABLE) after a number of sent (or received)
 * messages,
 * for a number of calls, and can tamper with messages on their way out.
 */
public final class CallCutter implements ServerInterceptor {

    private final int cutAfterMessages;
    private final AtomicInteger callsToCut;
    private volatile UnaryOperator<Object> tamper = UnaryOperator.identity();

    public CallCutter(int cutAfterMessages, int callsToCut) {
        this.cutAfterMessages = cutAfterMessages;
        this.callsToCut = new AtomicInteger(callsToCut);
    }

    public static CallCutter none() {
        return new CallCutter(Integer.MAX_VALUE, 0);
    }

    public void tamper(UnaryOperator<Object> tamper) {
        this.tamper = tamper;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        var cut = callsToCut.getAndDecrement() > 0;
        var wrapped = new ForwardingServerCall.SimpleForwardingServerCall<Q, R>(call) {
            private int sent;
            private boolean closed;

            @Override
            @SuppressWarnings("unchecked")
            public synchronized void sendMessage(R message) {
                if (closed) {
                    return;
                }
                if (cut && ++sent > cutAfterMessages) {
                    closed = true;
                    super.close(Status.UNAVAILABLE.withDescription("connection dropped (test)"), new Metadata());
                    return;
                }
                super.sendMessage((R) tamper.apply(message));
            }

            @Override
            public synchronized void close(Status status, Metadata trailers) {
                if (!closed) {
                    closed = true;
                    super.close(status, trailers);
                }
            }
        };
        var listener = next.startCall(wrapped, headers);
        return new io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener<Q>(listener) {
            private int received;

            @Override
            public void onMessage(Q message) {
                if (cut && ++received > cutAfterMessages) {
                    wrapped.close(Status.UNAVAILABLE.withDescription("connection dropped (test)"), new Metadata());
                    return;
                }
                super.onMessage(message);
            }
        };
    }
}
