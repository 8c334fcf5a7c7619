package io.kakehashi.consent;

import io.kakehashi.policy.constraints.JurisdictionGroups;
import org.eclipse.edc.web.spi.exception.InvalidRequestException;
import org.eclipse.edc.web.spi.exception.ObjectNotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.kakehashi.consent.ConsentTestFixtures.ASSET;
import static io.kakehashi.consent.ConsentTestFixtures.CONSUMER;
import static io.kakehashi.consent.ConsentTestFixtures.MAPPER;
import static io.kakehashi.consent.ConsentTestFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsentApiControllerTest {

    @TempDir
    Path directory;
    private final List<Consent> withdrawals = new ArrayList<>();
    private final ConsentTestFixtures.MovableClock clock = new ConsentTestFixtures.MovableClock(NOW);
    private FileConsentStore store;
    private ConsentApiController api;

    @BeforeEach
    void setUp() {
        store = new FileConsentStore(directory, MAPPER);
        api = new ConsentApiController(store, new ConsentRules(JurisdictionGroups.none()), Set.of(ASSET)::contains, withdrawals::add, MAPPER, clock);
    }

    private ConsentApiController.View create(String body) {
        var response = api.create(body);
        assertThat(response.getStatus()).isEqualTo(201);
        return (ConsentApiController.View) response.getEntity();
    }

    @Test
    void create_shouldKeepTheConsentAndListItBySubjectAndAsset() {
        var made = create("""
                {"subjectId": "customer-0042", "assetId": "e-receipts", "purposes": ["analytics"], "recipient": "membership:smart-life",
                 "expiresAt": "2027-12-31T15:00:00Z"}""");

        assertThat(made.grantedAt()).isEqualTo(NOW.toString());
        assertThat(store.find(made.id())).hasValueSatisfying(c -> {
            assertThat(c.purposes()).containsExactly("analytics");
            assertThat(c.recipient()).isEqualTo("membership:smart-life");
        });
        assertThat(api.list("customer-0042", null)).containsExactly(made);
        assertThat(api.list(null, ASSET)).containsExactly(made);
        assertThat(api.get(made.id())).isEqualTo(made);
    }

    @Test
    void withdraw_shouldStampTheTimeOnceAndTellTheListenerEachTime() {
        var made = create("{\"subjectId\": \"customer-0042\", \"purposes\": \"analytics\", \"recipient\": \"" + CONSUMER + "\"}");
        clock.set(NOW.plusSeconds(60));

        var withdrawn = api.withdraw(made.id());
        var again = api.withdraw(made.id());

        assertThat(withdrawn.withdrawnAt()).isEqualTo(NOW.plusSeconds(60).toString());
        assertThat(again).isEqualTo(withdrawn);
        // withdrawing again keeps the time and lets the notices not yet confirmed go out again
        assertThat(withdrawals).extracting(Consent::id).containsExactly(made.id(), made.id());
        assertThat(store.find(made.id()).orElseThrow().withdrawnAt()).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void deliveries_shouldListTheUsesThatDeliveredTheSubjectsRecords() {
        store.delivered(new ConsentStore.Delivery("a1", CONSUMER, ASSET, "transfer-1", "transfer", Set.of("customer-0042"), NOW));

        assertThat(api.deliveries("customer-0042")).singleElement().satisfies(d -> {
            assertThat(d.agreementId()).isEqualTo("a1");
            assertThat(d.useId()).isEqualTo("transfer-1");
        });
    }

    @Nested
    class BadInput {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "not JSON | {subjectId | the body is not JSON",
                "an array | [] | not a JSON object",
                "empty | ' ' | the body is empty",
                "no subject | {\"purposes\": [\"analytics\"], \"recipient\": \"any\"} | subjectId is required",
                "subject a number | {\"subjectId\": 42, \"purposes\": [\"analytics\"], \"recipient\": \"any\"} | subjectId is not a non-empty string",
                "no purposes | {\"subjectId\": \"s\", \"recipient\": \"any\"} | purposes is required",
                "unknown purpose | {\"subjectId\": \"s\", \"purposes\": [\"marketing\"], \"recipient\": \"any\"} | 'marketing' is not a known purpose",
                "no recipient | {\"subjectId\": \"s\", \"purposes\": [\"analytics\"]} | recipient is required",
                "bad recipient | {\"subjectId\": \"s\", \"purposes\": [\"analytics\"], \"recipient\": \"everyone\"} | recipient:",
                "bad country | {\"subjectId\": \"s\", \"purposes\": [\"analytics\"], \"recipient\": \"jurisdiction:ZZ\"} | 'ZZ'",
                "unknown asset | {\"subjectId\": \"s\", \"assetId\": \"nope\", \"purposes\": [\"analytics\"], \"recipient\": \"any\"} | no asset 'nope'",
                "bad time | {\"subjectId\": \"s\", \"purposes\": [\"analytics\"], \"recipient\": \"any\", \"expiresAt\": \"tomorrow\"} | expiresAt is not an ISO 8601 instant",
                "expiry first | {\"subjectId\": \"s\", \"purposes\": [\"analytics\"], \"recipient\": \"any\", \"grantedAt\": \"2026-12-07T00:00:00Z\", \"expiresAt\": \"2026-12-06T00:00:00Z\"} | is not after grantedAt",
                "unknown member | {\"subjectId\": \"s\", \"purposes\": [\"analytics\"], \"recipient\": \"any\", \"subject\": \"x\"} | unknown members [subject]"
        })
        void create_shouldAnswer400NamingWhatIsWrong(String name, String body, String message) {
            assertThatThrownBy(() -> api.create(body)).isInstanceOf(InvalidRequestException.class).hasMessageContaining(message);
            assertThat(store.findByAsset(ASSET)).isEmpty();
        }

        @Test
        void list_withNeitherOrBothFilters_shouldAnswer400() {
            assertThatThrownBy(() -> api.list(null, null)).isInstanceOf(InvalidRequestException.class);
            assertThatThrownBy(() -> api.list("s", ASSET)).isInstanceOf(InvalidRequestException.class);
            assertThatThrownBy(() -> api.deliveries(" ")).isInstanceOf(InvalidRequestException.class);
        }

        @Test
        void withdraw_whenUnknown_shouldAnswer404() {
            assertThatThrownBy(() -> api.withdraw("nope")).isInstanceOf(ObjectNotFoundException.class);
            assertThat(withdrawals).isEmpty();
        }
    }
}
