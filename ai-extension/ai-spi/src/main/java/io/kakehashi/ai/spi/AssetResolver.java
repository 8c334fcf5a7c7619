package io.kakehashi.ai.spi;

import org.eclipse.edc.spi.result.Result;

/**
 * Finds the file behind an asset for a job. In the connector it reads the asset's data address; tests point at
 * generated files. Implementations are thread-safe.
 */
@FunctionalInterface
public interface AssetResolver {

    /** The asset's file, or a failure saying why the asset cannot be computed on (unknown, not tabular, …). */
    Result<TabularAsset> resolve(String assetId);
}
