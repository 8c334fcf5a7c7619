package io.kakehashi.ai.extension;

import io.kakehashi.ai.spi.AssetResolver;
import io.kakehashi.ai.spi.TabularAsset;
import org.eclipse.edc.connector.controlplane.asset.spi.index.DataAddressResolver;
import org.eclipse.edc.spi.result.Result;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the file behind an asset from its data address: a compute job runs where the data lives, so only an asset
 * whose address is of type {@value #TYPE} with a {@value #PATH} to a readable CSV or Parquet file (format from the
 * optional {@value #FORMAT} property, else from the file name) can be computed on. The asset's data-subject field,
 * when it declares one (personal data, {@code ConsentFilter.SUBJECT_FIELD}), goes with the file, so that the output
 * guard counts {@code ai.minAggregation} in distinct data subjects. Thread-safe when its lookups are.
 */
public final class FileAddressAssetResolver implements AssetResolver {

    public static final String TYPE = "File";
    public static final String PATH = "path";
    public static final String FORMAT = "format";

    private final DataAddressResolver addresses;
    private final Function<String, Optional<String>> subjectFields;

    /** A resolver for assets read as they are, none holding personal data (the holder's runs of a sealed model). */
    public FileAddressAssetResolver(DataAddressResolver addresses) {
        this(addresses, assetId -> Optional.empty());
    }

    /**
     * @param subjectFields the data-subject field an asset declares, empty for an asset without personal data
     */
    public FileAddressAssetResolver(DataAddressResolver addresses, Function<String, Optional<String>> subjectFields) {
        this.addresses = addresses;
        this.subjectFields = subjectFields;
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
        var subject = subjectFields.apply(assetId);
        if (subject.isPresent() && subject.get().isBlank()) {
            // personal data whose subjects cannot be told apart: no guard could count them
            return Result.failure("it holds personal data but its data-subject field names no column");
        }
        var declared = address.getStringProperty(FORMAT);
        if (declared != null) {
            try {
                return Result.success(new TabularAsset(file, TabularAsset.Format.valueOf(declared.strip().toUpperCase(Locale.ROOT)), subject));
            } catch (IllegalArgumentException e) {
                return Result.failure("its format '%s' is not csv or parquet".formatted(declared));
            }
        }
        return TabularAsset.formatOf(file).map(format -> Result.success(new TabularAsset(file, format, subject)))
                .orElseGet(() -> Result.failure("its file is not .csv or .parquet and the address names no format"));
    }
}
