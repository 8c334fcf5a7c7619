package io.kakehashi.catalog.core;

import io.kakehashi.catalog.profiles.DataProfiles;
import org.apache.jena.vocabulary.DCTerms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

import static io.kakehashi.catalog.core.CatalogTestFixtures.japaneseOnlyDataset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Tdb2CompactionTest {

    @Test
    void compactIfGrown_whenGrowthPassesTheThreshold_shouldCompactAndKeepTheData(@TempDir Path directory) {
        var tdb = CatalogDatasets.tdb2(directory);
        try {
            // TDB2 files grow in preallocated steps, so any growth at all is the trigger here
            var compaction = new Tdb2Compaction(tdb, directory, 1);
            var store = new DcatCatalogStore(tdb, DataProfiles.shipped(), Clock.systemUTC());
            for (int i = 0; i < 20; i++) {
                store.put("asset-1", japaneseOnlyDataset("https://data.example.jp/d/" + i, "版 " + i));
            }
            var grown = compaction.size();

            assertThat(compaction.compactIfGrown()).isTrue();

            assertThat(compaction.size()).isLessThan(grown);
            assertThat(store.metadata("asset-1").orElseThrow().contains(null, DCTerms.title, "版 19", "ja")).isTrue();
            assertThat(compaction.compactIfGrown()).as("no growth since").isFalse();
        } finally {
            CatalogDatasets.release(tdb);
        }
    }

    @Test
    void compactIfGrown_whenGrowthIsBelowTheThreshold_shouldNotCompact(@TempDir Path directory) {
        var tdb = CatalogDatasets.tdb2(directory);
        try {
            var compaction = new Tdb2Compaction(tdb, directory, 1L << 40);
            new DcatCatalogStore(tdb, DataProfiles.shipped(), Clock.systemUTC()).put("asset-1", japaneseOnlyDataset("https://data.example.jp/d/1", "一"));

            assertThat(compaction.compactIfGrown()).isFalse();
        } finally {
            CatalogDatasets.release(tdb);
        }
    }

    @Test
    void constructor_whenThresholdIsNotPositive_shouldRefuse(@TempDir Path directory) {
        assertThatThrownBy(() -> new Tdb2Compaction(CatalogDatasets.inMemory(), directory, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
