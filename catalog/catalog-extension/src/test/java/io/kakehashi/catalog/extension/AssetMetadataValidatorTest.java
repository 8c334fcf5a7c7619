package io.kakehashi.catalog.extension;

import io.kakehashi.catalog.core.CatalogDatasets;
import io.kakehashi.catalog.core.DcatCatalogStore;
import io.kakehashi.catalog.profiles.DataProfiles;
import org.apache.jena.system.Txn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static io.kakehashi.catalog.extension.CatalogExtensionTestFixtures.assetWithMetadataJson;
import static io.kakehashi.catalog.extension.CatalogExtensionTestFixtures.assetWithMetadataString;
import static io.kakehashi.catalog.extension.CatalogExtensionTestFixtures.assetWithoutMetadata;
import static io.kakehashi.catalog.extension.CatalogExtensionTestFixtures.manufacturing;
import static io.kakehashi.catalog.extension.CatalogExtensionTestFixtures.manufacturingWithoutEnglishTitle;
import static org.assertj.core.api.Assertions.assertThat;

class AssetMetadataValidatorTest {

    private final org.apache.jena.query.Dataset dataset = CatalogDatasets.inMemory();
    private AssetMetadataValidator validator;

    @BeforeEach
    void setUp() {
        validator = new AssetMetadataValidator(new DcatCatalogStore(dataset, DataProfiles.shipped(), Clock.systemUTC()));
    }

    @Test
    void validate_whenMetadataStringConformsToItsProfile_shouldPass() {
        assertThat(validator.validate(assetWithMetadataString("a1", manufacturing())).succeeded()).isTrue();
    }

    @Test
    void validate_whenMetadataIsAJsonLiteral_shouldPass() {
        var result = validator.validate(assetWithMetadataJson("a1", manufacturing()));

        assertThat(result.succeeded()).as(String.valueOf(result.getFailureMessages())).isTrue();
    }

    @Test
    void validate_whenThereIsNoAsset_shouldFailSayingSo() {
        // an empty body reaches the validator as null; it threw a NullPointerException (a 500, issue 13, defect 6)
        var result = validator.validate(null);

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailure().getViolations()).singleElement()
                .satisfies(violation -> assertThat(violation.message()).isEqualTo("the asset is missing: the body must be a JSON object"));
    }

    @Test
    void validate_whenAssetHasNoMetadata_shouldPass() {
        assertThat(validator.validate(assetWithoutMetadata("a1")).succeeded()).isTrue();
    }

    @Test
    void validate_whenMetadataViolatesItsProfile_shouldGiveTheShaclMessagesAndStoreNothing() {
        var result = validator.validate(assetWithMetadataString("a1", manufacturingWithoutEnglishTitle()));

        assertThat(result.failed()).isTrue();
        assertThat(result.getFailure().getViolations()).anySatisfy(v -> {
            assertThat(v.message()).contains("dct:title").contains("English (@en)");
            assertThat(v.path()).isEqualTo(AssetMetadataProperty.KEY);
        });
        assertThat(Txn.calculateRead(dataset, () -> dataset.asDatasetGraph().isEmpty())).isTrue();
    }

    @Test
    void validate_whenTheJsonLiteralViolatesItsProfile_shouldFail() {
        assertThat(validator.validate(assetWithMetadataJson("a1", manufacturingWithoutEnglishTitle())).failed()).isTrue();
    }

    @Test
    void validate_whenProfileIsUnknown_shouldNameIt() {
        var text = manufacturing().replace("machine-operation/v1", "machine-operation/v7");

        var result = validator.validate(assetWithMetadataString("a1", text));

        assertThat(result.getFailure().getViolations()).singleElement().satisfies(v -> assertThat(v.message()).contains("unknown data profile").contains("v7"));
    }

    @Test
    void validate_whenMetadataStringIsMalformedJsonLd_shouldSaySo() {
        var result = validator.validate(assetWithMetadataString("a1", "{\"@context\": {\"dct\": "));

        assertThat(result.getFailure().getViolations()).singleElement().satisfies(v -> assertThat(v.message()).startsWith("malformed JSON-LD metadata"));
    }

    @Test
    void validate_whenMetadataHasAWrongShape_shouldSayWhatIsExpected() {
        var asset = CatalogExtensionTestFixtures.expand(jakarta.json.Json.createObjectBuilder()
                .add("@context", jakarta.json.Json.createObjectBuilder().add("@vocab", "https://w3id.org/edc/v0.0.1/ns/").add("kh", "https://w3id.org/kakehashi/ns#"))
                .add("@id", "a1")
                .add("properties", jakarta.json.Json.createObjectBuilder().add("kh:dcat", 42))
                .build());

        var result = validator.validate(asset);

        assertThat(result.getFailure().getViolations()).singleElement().satisfies(v -> assertThat(v.message()).contains("must hold a JSON-LD document"));
    }
}
