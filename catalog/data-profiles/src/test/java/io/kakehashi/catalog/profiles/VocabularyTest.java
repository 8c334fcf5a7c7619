package io.kakehashi.catalog.profiles;

import io.kakehashi.catalog.profiles.DataProfilesTestFixtures.Sector;
import org.apache.jena.vocabulary.DCAT;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class VocabularyTest {

    private static final String MACHINE_OPERATION = Vocabulary.NAMESPACE + "theme/machine-operation";

    private final Vocabulary vocabulary = Vocabulary.shipped();

    @Nested
    class Scheme {
        @Test
        void concepts_whenShipped_shouldHaveFiveSectorsEachWithThemes() {
            var sectors = vocabulary.concepts().stream().filter(c -> c.broader().isEmpty()).toList();

            assertThat(sectors).hasSize(5);
            assertThat(sectors).allSatisfy(sector -> assertThat(vocabulary.concepts())
                    .anySatisfy(theme -> assertThat(theme.broader()).contains(sector.iri())));
        }

        @Test
        void concepts_whenShipped_shouldEachHaveAJapaneseAndAnEnglishPrefLabel() {
            assertThat(vocabulary.concepts()).allSatisfy(c -> {
                assertThat(c.prefLabel("ja")).as(c.iri()).isPresent();
                assertThat(c.prefLabel("en")).as(c.iri()).isPresent();
            });
        }

        @ParameterizedTest
        @EnumSource(Sector.class)
        void concept_whenExampleNamesATheme_shouldExist(Sector sector) {
            var theme = sector.model().listObjectsOfProperty(DCAT.theme).next().asResource().getURI();

            assertThat(vocabulary.concept(theme)).isPresent();
        }
    }

    @Nested
    class Matching {
        @ParameterizedTest
        @ValueSource(strings = {"machine operation", "MACHINE Operation", "  machine   operation ", "ｍａｃｈｉｎｅ operation"})
        void conceptsMatching_whenEnglishLabelInAnyCaseOrWidth_shouldFindTheConceptFirst(String query) {
            var matches = vocabulary.conceptsMatching(query);

            assertThat(matches).first().extracting(Concept::iri).isEqualTo(MACHINE_OPERATION);
        }

        @Test
        void conceptsMatching_whenEnglishLabel_shouldOfferTheJapaneseLabelToSearchWith() {
            var concept = vocabulary.conceptsMatching("machine operation").get(0);

            assertThat(concept.labels()).contains(new Label("工作機械稼働データ", "ja"));
        }

        @Test
        void conceptsMatching_whenJapaneseLabel_shouldFindTheConcept() {
            assertThat(vocabulary.conceptsMatching("工作機械稼働データ"))
                    .extracting(Concept::iri).containsExactly(MACHINE_OPERATION);
            assertThat(vocabulary.conceptsMatching("腐食"))
                    .extracting(Concept::iri).containsExactly(Vocabulary.NAMESPACE + "theme/corrosion");
        }

        @Test
        void conceptsMatching_whenHalfWidthKatakana_shouldMatchFullWidthLabel() {
            assertThat(vocabulary.conceptsMatching("ﾌﾟﾛｰﾌﾞﾃﾞｰﾀ"))
                    .extracting(Concept::iri).containsExactly(Vocabulary.NAMESPACE + "theme/probe-data");
        }

        @Test
        void conceptsMatching_whenAltLabel_shouldFindTheConcept() {
            assertThat(vocabulary.conceptsMatching("floating car data"))
                    .extracting(Concept::iri).containsExactly(Vocabulary.NAMESPACE + "theme/probe-data");
        }

        @Test
        void conceptsMatching_whenPartOfALabel_shouldPutExactMatchesFirst() {
            var matches = vocabulary.conceptsMatching("inspection");

            assertThat(matches).extracting(Concept::iri)
                    .startsWith(Vocabulary.NAMESPACE + "theme/inspection-record");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "quantum annealing"})
        void conceptsMatching_whenBlankOrUnknown_shouldFindNothing(String query) {
            assertThat(vocabulary.conceptsMatching(query)).isEmpty();
        }
    }
}
