package io.kakehashi.transfer.grpc.meter;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The gRPC data plane's meters, read from its {@link TransferMeters} at each scrape: payload bytes and messages
 * moved ({@code kakehashi.transfer.bytes}, {@code kakehashi.transfer.messages}, counters), transfers running and their
 * summed rate ({@code kakehashi.transfer.running}, {@code kakehashi.transfer.rate} in bytes per second). No tag: no
 * transfer id, asset or agreement ever becomes a series. Thread-safe.
 */
public final class TransferMeterBinder implements MeterBinder {

    private final TransferMeters meters;

    public TransferMeterBinder(TransferMeters meters) {
        this.meters = meters;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("kakehashi.transfer.bytes", meters, TransferMeters::bytesMoved).baseUnit("bytes")
                .description("Payload bytes the gRPC data plane moved (sent by a provider, received by a consumer)").register(registry);
        FunctionCounter.builder("kakehashi.transfer.messages", meters, TransferMeters::messagesMoved)
                .description("Chunks and records the gRPC data plane moved").register(registry);
        Gauge.builder("kakehashi.transfer.running", meters, TransferMeters::running)
                .description("gRPC transfers moving now").register(registry);
        Gauge.builder("kakehashi.transfer.rate", meters, TransferMeters::runningBytesPerSecond).baseUnit("bytes.per.second")
                .description("Summed rate of the running gRPC transfers, each averaged since its start").register(registry);
    }
}
