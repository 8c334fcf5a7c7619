package io.kakehashi.transfer.grpc.stream;

import io.kakehashi.transfer.spi.RecordSourceRegistry;
import io.kakehashi.transfer.spi.RecordSource;

import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.types.domain.DataAddress;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The real-time record sources a connector offers, by name. An extension (the sample's machine telemetry,
 * for one) registers a factory; an asset's data address of type {@code KakehashiRecordStream} names it.
 * Thread-safe.
 */
public final class RecordSources implements RecordSourceRegistry {

    private final Map<String, Function<DataAddress, RecordSource>> factories = new ConcurrentHashMap<>();

    /** Registers (or replaces) the factory of a named source; it gets the asset's data address. */
    @Override
    public void register(String name, Function<DataAddress, RecordSource> factory) {
        factories.put(name, factory);
    }

    /** Whether a source is registered under {@code name}. */
    public boolean contains(String name) {
        return name != null && factories.containsKey(name);
    }

    /** A new source for an address naming a registered source. */
    public Result<RecordSource> create(String name, DataAddress address) {
        var factory = name == null ? null : factories.get(name);
        if (factory == null) {
            return Result.failure("no record source named " + name);
        }
        return Result.success(factory.apply(address));
    }
}
