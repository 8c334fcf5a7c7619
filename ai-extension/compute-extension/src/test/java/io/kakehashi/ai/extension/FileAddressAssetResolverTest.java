package io.kakehashi.ai.extension;

import io.kakehashi.ai.spi.TabularAsset;
import org.eclipse.edc.spi.types.domain.DataAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class FileAddressAssetResolverTest {

    @TempDir
    Path dir;

    private FileAddressAssetResolver resolver(Map<String, DataAddress> addresses) {
        return new FileAddressAssetResolver(addresses::get);
    }

    private static DataAddress file(Path path, String format) {
        var builder = DataAddress.Builder.newInstance().type(FileAddressAssetResolver.TYPE).property(FileAddressAssetResolver.PATH, path.toString());
        if (format != null) {
            builder.property(FileAddressAssetResolver.FORMAT, format);
        }
        return builder.build();
    }

    @Test
    void resolve_aCsvFile_shouldGiveItsPathAndFormat() throws Exception {
        var csv = Files.writeString(dir.resolve("machines.csv"), "a\n1\n");

        var asset = resolver(Map.of("a1", file(csv, null))).resolve("a1").getContent();

        assertThat(asset).isEqualTo(new TabularAsset(csv, TabularAsset.Format.CSV));
    }

    @Test
    void resolve_whenTheAddressNamesTheFormat_shouldTakeIt() throws Exception {
        var data = Files.writeString(dir.resolve("machines.data"), "x");

        assertThat(resolver(Map.of("a1", file(data, "parquet"))).resolve("a1").getContent().format()).isEqualTo(TabularAsset.Format.PARQUET);
        assertThat(resolver(Map.of("a1", file(data, "xlsx"))).resolve("a1").getFailureDetail()).contains("not csv or parquet");
        assertThat(resolver(Map.of("a1", file(data, null))).resolve("a1").getFailureDetail()).contains("names no format");
    }

    @Test
    void resolve_whenTheAssetCannotBeComputedOn_shouldSayWhy() {
        var http = DataAddress.Builder.newInstance().type("HttpData").property("baseUrl", "http://127.0.0.1:9/data.csv").build();
        var resolver = resolver(Map.of("http", http, "missing", file(dir.resolve("gone.csv"), null),
                "no-path", DataAddress.Builder.newInstance().type(FileAddressAssetResolver.TYPE).build()));

        assertThat(resolver.resolve("unknown").getFailureDetail()).isEqualTo("the asset is unknown");
        assertThat(resolver.resolve("http").getFailureDetail()).contains("HttpData");
        assertThat(resolver.resolve("missing").getFailureDetail()).contains("cannot be read");
        assertThat(resolver.resolve("no-path").getFailureDetail()).contains("no path");
    }

    @Test
    void resolve_anAssetThatNamesItsDataSubjectField_shouldCarryIt() throws Exception {
        var csv = Files.writeString(dir.resolve("trips.csv"), "trip_id,passenger_id\nT1,P-001\n");
        var resolver = new FileAddressAssetResolver(Map.of("trips", file(csv, null), "machines", file(csv, null))::get,
                id -> "trips".equals(id) ? Optional.of("passenger_id") : Optional.empty());

        assertThat(resolver.resolve("trips").getContent()).isEqualTo(new TabularAsset(csv, TabularAsset.Format.CSV, Optional.of("passenger_id")));
        assertThat(resolver.resolve("machines").getContent().subjectField()).isEmpty();
    }

    @Test
    void resolve_personalDataWhoseSubjectFieldIsBlank_shouldBeRefused() throws Exception {
        var csv = Files.writeString(dir.resolve("trips.csv"), "trip_id,passenger_id\nT1,P-001\n");
        var resolver = new FileAddressAssetResolver(Map.of("trips", file(csv, null))::get, id -> Optional.of(" "));

        assertThat(resolver.resolve("trips").getFailureDetail()).contains("data-subject field names no column");
    }
}
