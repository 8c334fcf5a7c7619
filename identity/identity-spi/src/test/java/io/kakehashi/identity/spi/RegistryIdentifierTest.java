package io.kakehashi.identity.spi;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryIdentifierTest {

    @Nested
    class CorporateNumber {

        @ParameterizedTest
        @ValueSource(strings = {"1180301018771", "7010001008844", "4000012090001"})
        void whenTheCheckDigitIsRight_shouldBeAccepted(String number) {
            assertThat(RegistryIdentifier.corporateNumber(number).getContent()).hasToString("JCN:" + number);
        }

        @Test
        void whenTheCheckDigitIsWrong_shouldBeRefusedSayingWhichItShouldBe() {
            assertThat(RegistryIdentifier.corporateNumber("2180301018771").getFailureDetail())
                    .isEqualTo("corporate number '2180301018771' has a wrong check digit (expected 1)");
        }

        @Test
        void whenADigitOfTheBaseIsChanged_shouldBeRefused() {
            assertThat(RegistryIdentifier.corporateNumber("1180301018772").failed()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"118030101877", "11803010187710", "11803O1018771", ""})
        void whenNotThirteenDigits_shouldBeRefused(String number) {
            assertThat(RegistryIdentifier.corporateNumber(number).getFailureDetail()).contains("must be 13 digits");
        }
    }

    @Nested
    class Lei {

        @ParameterizedTest
        @ValueSource(strings = {"HWUPKR0MPOU8FGXBT394", "5493001KJTIIGC8Y1R12", "7LTWFZYICNSX8D621K86"})
        void whenTheMod97CheckHolds_shouldBeAccepted(String lei) {
            assertThat(RegistryIdentifier.lei(lei).succeeded()).isTrue();
        }

        @Test
        void whenTheCheckDigitsAreWrong_shouldBeRefused() {
            assertThat(RegistryIdentifier.lei("HWUPKR0MPOU8FGXBT395").getFailureDetail()).contains("fails its ISO 7064 MOD 97-10 check");
        }

        @Test
        void whenTwoCharactersAreSwapped_shouldBeRefused() {
            assertThat(RegistryIdentifier.lei("HWUPKR0MPOU8FGXTB394").failed()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"HWUPKR0MPOU8FGXBT39", "hwupkr0mpou8fgxbt394", "HWUPKR0MPOU8FGXBT3A4"})
        void whenNotTwentyCharactersEndingInTwoDigits_shouldBeRefused(String lei) {
            assertThat(RegistryIdentifier.lei(lei).failed()).isTrue();
        }
    }

    @Test
    void parse_shouldDispatchOnTheScheme() {
        assertThat(RegistryIdentifier.parse("JCN:1180301018771").getContent().scheme()).isEqualTo(RegistryIdentifier.Scheme.JCN);
        assertThat(RegistryIdentifier.parse("lei:HWUPKR0MPOU8FGXBT394").getContent().scheme()).isEqualTo(RegistryIdentifier.Scheme.LEI);
        assertThat(RegistryIdentifier.parse("DUNS:123456789").getFailureDetail()).contains("scheme 'DUNS' is not known");
        assertThat(RegistryIdentifier.parse("1180301018771").failed()).isTrue();
    }
}
