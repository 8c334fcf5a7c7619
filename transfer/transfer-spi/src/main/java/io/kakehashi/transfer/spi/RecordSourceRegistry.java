package io.kakehashi.transfer.spi;

import org.eclipse.edc.spi.types.domain.DataAddress;

import java.util.function.Function;

/**
 * Where extensions offer real-time record sources by name (machine telemetry, for one): an asset's data address of
 * type {@value GrpcStreamAddresses#RECORD_STREAM_TYPE} names one in {@link GrpcStreamAddresses#RECORD_SOURCE}, and
 * each transfer of it reads a source the factory makes from that address. The data plane registers its implementation
 * as an EDC service. Implementations are thread-safe.
 */
public interface RecordSourceRegistry {

    /** Offers {@code factory}'s sources as {@code name}; a later registration of the same name replaces it. */
    void register(String name, Function<DataAddress, RecordSource> factory);
}
