package io.kakehashi.transfer.spi;

import java.util.List;
import java.util.Optional;

/**
 * The progress of the transfers this connector's data plane moves (either side, bulk or real-time), as the meters of
 * the running and recently ended transfers know it. The data plane registers its implementation as an EDC service.
 * Implementations are thread-safe.
 */
public interface TransferProgressService {

    /** The progress of one transfer (its process or sink id), if the data plane metered it. */
    Optional<TransferProgress> progress(String transferId);

    /** The progress of every transfer the data plane metered. */
    List<TransferProgress> all();
}
