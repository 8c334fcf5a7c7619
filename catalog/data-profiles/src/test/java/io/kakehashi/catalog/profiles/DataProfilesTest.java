package io.kakehashi.catalog.profiles;

import io.kakehashi.catalog.profiles.DataProfilesTestFixtures.Sector;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.ResourceFactory;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.vocabulary.DCAT;
import org.apache.jena.vocabulary.DCTerms;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.StringWriter;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.kakehashi.catalog.profiles.DataProfilesTestFixtures.prefixed;
import static io.kakehashi.catalog.profiles.DataProfilesTestFixtures.replacing;
import static io.kakehashi.catalog.profiles.DataProfilesTestFixtures.without;
import static io.kakehashi.catalog.profiles.DataProfilesTestFixtures.withoutLanguage;
import static org.assertj.core.api.Assertions.assertThat;

class DataProfilesTest {

    private final DataProfiles profiles = DataProfiles.shipped();

    @Nested
    class Listing {
        @Test
        void profiles_whenShipped_shouldListOnePerSectorWithBilingualLabels() {
            assertThat(profiles.profiles())
                    .extracting(DataProfile::iri)
                    .containsExactly(Stream.of(Sector.values()).map(s -> s.profileIri).toArray(String[]::new));
            assertThat(profiles.profiles()).allSatisfy(p -> {
                assertThat(p.labelEn()).isNotBlank();
                assertThat(p.labelJa()).isNotBlank();
            });
        }

        @Test
        void profile_whenIriIsUnknown_shouldBeEmpty() {
            assertThat(profiles.profile("https://w3id.org/kakehashi/profiles/unknown/v1")).isEmpty();
            assertThat(profiles.profile(Sector.MOBILITY.profileIri)).isPresent();
        }
    }

    @Nested
    class Sectors {
        @ParameterizedTest
        @EnumSource(Sector.class)
        void validate_whenExampleIsUnchanged_shouldConformAndKeepTheModel(Sector sector) {
            var result = profiles.validate(sector.jsonLd(), MetadataFormat.JSON_LD);

            assertThat(result.succeeded()).as(result.succeeded() ? "" : result.getFailureDetail()).isTrue();
            assertThat(result.getContent().profileIris()).containsExactly(sector.profileIri);
            assertThat(result.getContent().model().contains(null, DCTerms.conformsTo,
                    ResourceFactory.createResource(sector.profileIri))).isTrue();
        }

        @ParameterizedTest
        @EnumSource(Sector.class)
        void validate_whenJapaneseTitleIsMissing_shouldNameTheLanguage(Sector sector) {
            var result = profiles.validate(withoutLanguage(sector.model(), DCTerms.title, "ja"));

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureMessages()).singleElement().asString()
                    .contains("dct:title", "Japanese (@ja)", "日本語");
        }

        @ParameterizedTest
        @EnumSource(Sector.class)
        void validate_whenEnglishDescriptionIsMissing_shouldNameTheLanguage(Sector sector) {
            var result = profiles.validate(withoutLanguage(sector.model(), DCTerms.description, "en"));

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureMessages()).singleElement().asString()
                    .contains("dct:description", "English (@en)");
        }

        @ParameterizedTest
        @EnumSource(Sector.class)
        void validate_whenJapaneseDescriptionIsMissing_shouldNameTheLanguage(Sector sector) {
            var result = profiles.validate(withoutLanguage(sector.model(), DCTerms.description, "ja"));

            assertThat(result.getFailureMessages()).singleElement().asString()
                    .contains("dct:description", "Japanese (@ja)");
        }

        @ParameterizedTest
        @MethodSource("io.kakehashi.catalog.profiles.DataProfilesTest#sectorFields")
        void validate_whenSectorFieldIsMissing_shouldNameTheField(Sector sector, Property field) {
            var result = profiles.validate(without(sector.model(), field));

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureMessages()).isNotEmpty()
                    .allSatisfy(message -> assertThat(message).contains(prefixed(field)));
        }

        @ParameterizedTest
        @EnumSource(Sector.class)
        void validate_whenCommonFieldIsMissing_shouldNameTheField(Sector sector) {
            var result = profiles.validate(without(sector.model(), DCTerms.publisher));

            assertThat(result.getFailureMessages()).singleElement().asString().contains("dct:publisher");
        }

        @Test
        void validate_whenNamedProfileIsAnotherSectors_shouldReportItsRequirements() {
            var result = profiles.validate(Sector.BIO_MATERIALS.jsonLd(), MetadataFormat.JSON_LD, Sector.MANUFACTURING.profileIri);

            assertThat(result.failed()).isTrue();
            assertThat(String.join("\n", result.getFailureMessages()))
                    .contains("dct:conformsTo", Sector.MANUFACTURING.profileIri, "kh:machineType", "kh:machineCount");
        }

        @Test
        void validate_whenNamedProfileIsTheClaimedOne_shouldConform() {
            var result = profiles.validate(Sector.MOBILITY.model(), Sector.MOBILITY.profileIri);

            assertThat(result.succeeded()).isTrue();
        }
    }

    static Stream<Arguments> sectorFields() {
        return Stream.of(Sector.values()).flatMap(s -> s.requiredFields.stream().map(f -> Arguments.of(s, f)));
    }

    @Nested
    class Distribution {
        @Test
        void validate_whenByteSizeIsAString_shouldNameByteSizeAndValue() {
            var model = replacing(Sector.MANUFACTURING.model(), DCAT.byteSize, ResourceFactory.createStringLiteral("large"));

            var result = profiles.validate(model);

            assertThat(result.getFailureMessages()).singleElement().asString()
                    .startsWith("[] dcat:byteSize: ")
                    .contains("non-negative", "\"large\"");
        }

        @Test
        void validate_whenByteSizeIsNegative_shouldFail() {
            var model = replacing(Sector.MANUFACTURING.model(), DCAT.byteSize,
                    ResourceFactory.createTypedLiteral("-1", XSDDatatype.XSDinteger));

            assertThat(profiles.validate(model).getFailureMessages()).singleElement().asString().contains("dcat:byteSize");
        }

        @Test
        void validate_whenByteSizeIsAJsonNumber_shouldConform() {
            var model = replacing(Sector.MANUFACTURING.model(), DCAT.byteSize,
                    ResourceFactory.createTypedLiteral("1024", XSDDatatype.XSDinteger));

            assertThat(profiles.validate(model).succeeded()).isTrue();
        }

        @Test
        void validate_whenMediaTypeIsMissing_shouldNameIt() {
            var result = profiles.validate(without(Sector.SMART_LIFE.model(), DCAT.mediaType));

            assertThat(result.getFailureMessages()).singleElement().asString().contains("dcat:mediaType");
        }

        @Test
        void validate_whenNoDistribution_shouldNameIt() {
            var model = Sector.SMART_LIFE.model();
            model.removeAll(null, DCAT.distribution, null);

            assertThat(profiles.validate(model).getFailureMessages()).singleElement().asString()
                    .contains("dcat:distribution");
        }
    }

    @Nested
    class BadInput {
        @Test
        void validate_whenClaimedProfileIsUnknown_shouldNameTheIri() {
            var unknown = "https://w3id.org/kakehashi/profiles/mobility/probe-data/v9";
            var model = replacing(Sector.MOBILITY.model(), DCTerms.conformsTo, ResourceFactory.createResource(unknown));

            var result = profiles.validate(model);

            assertThat(result.getFailureMessages()).singleElement().asString()
                    .startsWith("unknown data profile <" + unknown + ">")
                    .contains(Sector.MOBILITY.profileIri);
        }

        @Test
        void validate_whenOnlyAForeignStandardIsClaimed_shouldNameIt() {
            var foreign = "https://example.org/standards/other";
            var model = replacing(Sector.MOBILITY.model(), DCTerms.conformsTo, ResourceFactory.createResource(foreign));

            assertThat(profiles.validate(model).getFailureDetail()).contains("unknown data profile <" + foreign + ">");
        }

        @Test
        void validate_whenAForeignStandardIsClaimedBesideAProfile_shouldConform() {
            var model = Sector.MOBILITY.model();
            model.listSubjectsWithProperty(DCTerms.conformsTo).toList()
                    .forEach(d -> d.addProperty(DCTerms.conformsTo, model.createResource("https://example.org/standards/other")));

            assertThat(profiles.validate(model).succeeded()).isTrue();
        }

        @Test
        void validate_whenNamedProfileIsUnknown_shouldNameTheIri() {
            var result = profiles.validate(Sector.MOBILITY.model(), "https://example.org/no-such-profile");

            assertThat(result.getFailureDetail()).startsWith("unknown data profile <https://example.org/no-such-profile>");
        }

        @Test
        void validate_whenNoProfileIsClaimed_shouldSaySo() {
            var result = profiles.validate(without(Sector.BIO_MATERIALS.model(), DCTerms.conformsTo));

            assertThat(result.getFailureMessages()).singleElement().asString()
                    .startsWith("the metadata claims no data profile");
        }

        @Test
        void validate_whenNoDatasetIsDescribed_shouldSaySo() {
            var result = profiles.validate("""
                    {"@context": {"dct": "http://purl.org/dc/terms/"}, "@id": "https://example.org/x", "dct:title": "x"}
                    """, MetadataFormat.JSON_LD);

            assertThat(result.getFailureDetail()).contains("no dcat:Dataset");
        }

        @Test
        void validate_whenJsonLdIsMalformed_shouldFailWithParserMessage() {
            var truncated = Sector.MOBILITY.jsonLd().substring(0, 200);

            var result = profiles.validate(truncated, MetadataFormat.JSON_LD);

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).startsWith("malformed JSON-LD metadata: ");
        }

        @Test
        void validate_whenJsonLdIsNotJson_shouldFail() {
            assertThat(profiles.validate("not json at all", MetadataFormat.JSON_LD).getFailureDetail())
                    .startsWith("malformed JSON-LD metadata: ");
        }

        @Test
        void validate_whenJsonLdContextIsRemote_shouldRefuseToFetchIt() {
            var result = profiles.validate("""
                    {"@context": "http://127.0.0.1:9/context.jsonld", "@id": "https://example.org/x", "@type": "Dataset"}
                    """, MetadataFormat.JSON_LD);

            assertThat(result.getFailureDetail()).startsWith("malformed JSON-LD metadata: ").contains("inline");
        }

        @Test
        void validate_whenTurtleIsMalformed_shouldFailWithPosition() {
            var result = profiles.validate("""
                    @prefix dcat: <http://www.w3.org/ns/dcat#> .
                    <https://example.org/d> a dcat:Dataset ;
                        dcat:keyword "unterminated .
                    """, MetadataFormat.TURTLE);

            assertThat(result.getFailureDetail()).startsWith("malformed Turtle metadata: line 4, column 1: ").contains("newline in string");
        }

        @Test
        void validate_whenTextIsBlank_shouldFail() {
            assertThat(profiles.validate("  ", MetadataFormat.TURTLE).getFailureDetail()).isEqualTo("metadata is empty");
        }

        @Test
        void validate_whenExampleIsWrittenAsTurtle_shouldConform() {
            var turtle = new StringWriter();
            RDFDataMgr.write(turtle, Sector.PLANT_SAFETY.model(), Lang.TURTLE);

            assertThat(profiles.validate(turtle.toString(), MetadataFormat.TURTLE).succeeded()).isTrue();
        }
    }

    @Nested
    class Messages {
        @Test
        void validate_whenSeveralViolations_shouldReportEachOnceSortedWithFocusAndBothLanguages() {
            var model = without(withoutLanguage(Sector.MOBILITY.model(), DCTerms.title, "en"), DCAT.keyword);

            var messages = profiles.validate(model).getFailureMessages();

            assertThat(messages).containsExactly(
                    "<https://data.example.jp/datasets/mobility-taxi-probe-2025> dcat:keyword: "
                            + "dcat:keyword needs at least one literal keyword / dcat:keyword（キーワード）が一つ以上必要です",
                    "<https://data.example.jp/datasets/mobility-taxi-probe-2025> dct:title: "
                            + "dct:title needs an English (@en) value / 英語（@en）の dct:title がありません");
        }

        @Test
        void validate_whenCalledConcurrently_shouldGiveTheSameAnswers() {
            var valid = Sector.MANUFACTURING.jsonLd();
            var invalid = without(Sector.MANUFACTURING.model(), DataProfilesTestFixtures.kh("machineCount"));

            var outcomes = IntStream.range(0, 64).parallel()
                    .mapToObj(i -> i % 2 == 0
                            ? profiles.validate(valid, MetadataFormat.JSON_LD).succeeded()
                            : profiles.validate(invalid).failed())
                    .toList();

            assertThat(outcomes).containsOnly(true);
        }
    }
}
