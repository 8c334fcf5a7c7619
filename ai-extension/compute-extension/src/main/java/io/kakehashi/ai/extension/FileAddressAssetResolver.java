package io.kakehashi.ai.extension;

import io.kakehashi.ai.spi.AssetResolver;
import io.kakehashi.ai.spi.TabularAsset;
import org.eclipse.edc.connector.controlplane.asset.spi.index.DataAddressResolver;
import org.eclipse.edc.spi.result.Result;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Finds the file behind an asset from its data address: a compute job runs where the data lives, so only an asset
 * whose address is of type {@value #TYPE} with a {@value #PATH} to a readable CSV or Parquet file (format from the
 * optional {@value #FORMAT} property, else from the file name) can be computed on. Thread-safe.
 */
public final class FileAddressAssetResolver implements AssetResolver {

    public static final String TYPE = "File";
    public static final String PATH = "path";
    public static final String FORMAT = "format";

    private final DataAddressResolver addresses;

    public FileAddressAssetResolver(DataAddressResolver addresses) {
        this.addresses = addresses;
    }

    @Override
    public Result<TabularAsset> resolve(String assetId) {
        var address = addresses.resolveForAsset(assetId);
        if (address == null) {
            return Result.failure("the asset is unknown");
        }
        if (!TYPE.equals(address.getType())) {
            return Result.failure("its data address is of type %s; compute jobs need a %s address".formatted(address.getType(), TYPE));
        }
        var path = address.getStringProperty(PATH);
        if (path == null || path.isBlank()) {
            return Result.failure("its data address has no %s".formatted(PATH));
        }
        var file = Path.of(path);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            return Result.failure("its file cannot be read");
        }
        var declared = address.getStringProperty(FORMAT);
        if (declared != null) {
            try {
                return Result.success(new TabularAsset(file, TabularAsset.Format.valueOf(declared.strip().toUpperCase(Locale.ROOT))));
            } catch (IllegalArgumentException e) {
                return Result.failure("its format '%s' is not csv or parquet".formatted(declared));
            }
        }
        return TabularAsset.formatOf(file).map(format -> Result.success(new TabularAsset(file, format)))
                .orElseGet(() -> Result.failure("its file is not .csv or .parquet and the address names no format"));
    }
}
