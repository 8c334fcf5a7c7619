package io.kakehashi.core.security;

import org.eclipse.edc.spi.types.domain.DataAddress;
import org.eclipse.edc.validator.spi.DataAddressValidatorRegistry;
import org.eclipse.edc.validator.spi.ValidationResult;
import org.eclipse.edc.validator.spi.Validator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.eclipse.edc.validator.spi.Violation.violation;

class CounterpartyDestinationRegistryTest {

    private static final String EDC = "https://w3id.org/edc/v0.0.1/ns/";

    private final CounterpartyDestinationRegistry registry = registry();

    private static CounterpartyDestinationRegistry registry() {
        var registry = new CounterpartyDestinationRegistry(new EdcLikeRegistry());
        registry.registerDestinationValidator(HttpDataDestinations.TYPE, HttpDataDestinations.validator());
        registry.registerDestinationValidator("GrpcStream", DestinationAllowList.of("GrpcStream",
                Set.of("endpoint", "authorization", "https://w3id.org/kakehashi/transfer/transferId"), List.of()));
        return registry;
    }

    private static DataAddress address(String type, Map<String, Object> properties) {
        return DataAddress.Builder.newInstance().type(type).properties(new HashMap<>(properties)).build();
    }

    @Nested
    class VaultNamingKeys {

        @ParameterizedTest
        @ValueSource(strings = { EDC + "secretName", "secretName", EDC + "keyName", "keyName", EDC + "secret",
                EDC + "oauth2:privateKeyName", EDC + "oauth2:clientSecretKey", "oauth2:privateKeyName", "SECRETNAME",
                "https://example.com/ns#tokenSecretName", "https://w3id.org/kakehashi/transfer/keyAlias" })
        void validateDestination_whenAKeyNamesAVaultEntry_shouldRefuseNamingTheKeyAndNotTheValue(String key) {
            var destination = address(HttpDataDestinations.TYPE, Map.of(EDC + "baseUrl", "http://127.0.0.1:9/in",
                    EDC + "authKey", "X-Leak", key, "kakehashi-did-keys"));

            var result = registry.validateDestination(destination);

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).contains(key).contains("vault").doesNotContain("kakehashi-did-keys");
        }

        @Test
        void validateDestination_whenAnOtherwiseUnknownTypeNamesAVaultEntry_shouldStillRefuseTheKey() {
            var result = registry.validateDestination(address("AmazonS3", Map.of("keyName", "dataplane-token-signer")));

            assertThat(result.getFailureDetail()).contains("keyName").doesNotContain("dataplane-token-signer");
        }

        @Test
        void allowList_whenItWouldAdmitAVaultNamingKey_shouldNotBeBuilt() {
            assertThatThrownBy(() -> DestinationAllowList.of("Mine", Set.of("baseUrl", "secretName"), List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secretName");
        }
    }

    @Nested
    class HttpData {

        @Test
        void validateDestination_whenAPushSinkWithInlineAuthAndHeaders_shouldPass() {
            var destination = address(HttpDataDestinations.TYPE, Map.of(EDC + "baseUrl", "https://consumer.example/in",
                    EDC + "path", "/files", EDC + "queryParams", "a=b", EDC + "method", "PUT", EDC + "contentType", "text/csv",
                    EDC + "authKey", "Authorization", EDC + "authCode", "Bearer abc", "header:X-Trace", "1",
                    EDC + "nonChunkedTransfer", "true"));

            assertThat(registry.validateDestination(destination).succeeded()).isTrue();
        }

        @Test
        void validateDestination_whenAuthKeyComesWithoutAuthCode_shouldRefuseNamingAuthCode() {
            var destination = address(HttpDataDestinations.TYPE, Map.of(EDC + "baseUrl", "https://consumer.example/in",
                    EDC + "authKey", "Authorization"));

            var result = registry.validateDestination(destination);

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).contains("authCode");
        }

        @ParameterizedTest
        @ValueSource(strings = { EDC + "proxyPath", EDC + "oauth2:tokenUrl", "edc:secretName", "baseURL" })
        void validateDestination_whenAPropertyIsNotOnTheList_shouldRefuseNamingIt(String key) {
            var destination = address(HttpDataDestinations.TYPE, Map.of(EDC + "baseUrl", "https://consumer.example/in", key, "x"));

            var result = registry.validateDestination(destination);

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).contains(key);
        }
    }

    @Nested
    class Types {

        @Test
        void validateDestination_whenTheTypeIsUnknown_shouldRefuseNamingTheAcceptedTypes() {
            var result = registry.validateDestination(address("File", Map.of("path", "/etc/passwd")));

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).contains("'File'").contains("GrpcStream, HttpData");
        }

        @Test
        void validateDestination_whenARegisteredTypeHasOnlyItsProperties_shouldPass() {
            var destination = address("GrpcStream", Map.of(EDC + "endpoint", "grpc://127.0.0.1:9/bulk", EDC + "authorization", "t",
                    "https://w3id.org/kakehashi/transfer/transferId", "id"));

            assertThat(registry.validateDestination(destination).succeeded()).isTrue();
        }

        @Test
        void validateDestination_whenTwoValidatorsAreRegisteredForOneType_shouldApplyBoth() {
            registry.registerDestinationValidator("GrpcStream", address -> ValidationResult.failure(violation("second says no", "x")));

            assertThat(registry.validateDestination(address("GrpcStream", Map.of())).getFailureDetail()).contains("second says no");
        }
    }

    /** What EDC's registry does: the last validator per type, an unknown type passes. */
    private static final class EdcLikeRegistry implements DataAddressValidatorRegistry {
        private final Map<String, Validator<DataAddress>> sources = new HashMap<>();

        @Override
        public void registerSourceValidator(String type, Validator<DataAddress> validator) {
            sources.put(type, validator);
        }

        @Override
        public void registerDestinationValidator(String type, Validator<DataAddress> validator) {
        }

        @Override
        public ValidationResult validateSource(DataAddress address) {
            return sources.getOrDefault(address.getType(), a -> ValidationResult.success()).validate(address);
        }

        @Override
        public ValidationResult validateDestination(DataAddress address) {
            return ValidationResult.success();
        }
    }
}
