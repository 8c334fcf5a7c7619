package io.kakehashi.transfer.grpc;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An in-process gRPC server and a channel to it, for component tests. */
public final class InProcessGrpc implements AutoCloseable {

    private final Server server;
    private final ManagedChannel channel;

    /** Interceptors run in list order (the first sees the call first). */
    public InProcessGrpc(List<BindableService> services, List<ServerInterceptor> interceptors) throws IOException {
        var name = InProcessServerBuilder.generateName();
        var builder = InProcessServerBuilder.forName(name);
        for (var service : services) {
            var reversed = new java.util.ArrayList<>(interceptors);
            java.util.Collections.reverse(reversed);
            builder.addService(ServerInterceptors.intercept(service, reversed));
        }
        server = builder.build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    public ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }
}
