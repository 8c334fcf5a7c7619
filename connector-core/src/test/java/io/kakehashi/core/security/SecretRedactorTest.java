package io.kakehashi.core.security;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SecretRedactorTest {

    static final String JWK_D = "Qm8UDh6kHnS3Vg8-5jvxMvqR0wAjb0oU7vNykqZ4vP4";
    static final String JWK = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"did:web:127.0.0.1%3A9:identity#key-1\","
            + "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\",\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\","
            + "\"d\":\"" + JWK_D + "\"}";
    static final String PEM_LINE_1 = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";
    static final String PEM_LINE_2 = "MIIBGqA2CbpKfZTY0dL2x5DPyFMk1nSwv2L4cq1kYaNHd3b8wnS4tYg9jKCZpQx7";
    static final String PEM = "-----BEGIN PRIVATE KEY-----\n" + PEM_LINE_1 + "\n" + PEM_LINE_2 + "\n-----END PRIVATE KEY-----\n";
    static final String API_KEY = "mgmt-3f1c2a9e-77b0-4f6c-9d1e-5a2b8c7d6e4f";

    private final MutableSource vault = new MutableSource(List.of(JWK, PEM, API_KEY, "short"));
    private final SecretRedactor redactor = redactorOf(vault);

    private static SecretRedactor redactorOf(SecretSource source) {
        var redactor = new SecretRedactor();
        redactor.addSource(source);
        return redactor;
    }

    @Nested
    class Secrets {

        @Test
        void redact_whenTheWholeSecretIsInTheText_shouldReplaceIt() {
            var text = "DataFlowRequest 7: Field 'token' not found in the secret serialized as json: " + JWK;

            var redacted = redactor.redact(text);

            assertThat(redacted).doesNotContain(JWK_D).doesNotContain("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU")
                    .startsWith("DataFlowRequest 7: Field 'token' not found in the secret serialized as json: ")
                    .contains(SecretRedactor.REDACTED);
        }

        @Test
        void redact_whenOnlyTheJwksDIsInTheText_shouldReplaceIt() {
            assertThat(redactor.redact("Unexpected char 0x0a in X-Leak value: " + JWK_D)).doesNotContain(JWK_D)
                    .isEqualTo("Unexpected char 0x0a in X-Leak value: " + SecretRedactor.REDACTED);
        }

        @Test
        void redact_whenAFragmentOfTheDIsEscapedInJson_shouldReplaceIt() {
            var fragment = JWK_D.substring(5, 30);

            assertThat(redactor.redact("{\\\"d\\\":\\\"" + fragment + "\\\"}")).doesNotContain(fragment);
        }

        @Test
        void redact_whenAPemBodyIsInTheTextWithEscapedNewlines_shouldReplaceEachLine() {
            var text = "reason: " + PEM.replace("\n", "\\n");

            var redacted = redactor.redact(text);

            assertThat(redacted).doesNotContain(PEM_LINE_1.substring(1)).doesNotContain(PEM_LINE_2.substring(1));
        }

        @Test
        void redact_whenOneLineOfThePemBodyIsInTheText_shouldReplaceIt() {
            assertThat(redactor.redact("bad key material " + PEM_LINE_2 + " at 3")).isEqualTo("bad key material [redacted] at 3");
        }

        @Test
        void redact_whenASecretIsAddedToTheVaultLater_shouldRedactItFromThenOn() {
            var later = "s3cr3t-added-later-0123456789abcdef";
            assertThat(redactor.redact(later)).isEqualTo(later);

            vault.add(later);

            assertThat(redactor.redact("x " + later)).isEqualTo("x " + SecretRedactor.REDACTED);
        }

        @Test
        void containsSecret_whenTheTextHasAFragment_shouldSaySo() {
            assertThat(redactor.containsSecret("…" + JWK_D.substring(10, 28) + "…")).isTrue();
            assertThat(redactor.containsSecret("nothing here")).isFalse();
        }
    }

    @Nested
    class OrdinaryText {

        @ParameterizedTest
        @ValueSource(strings = {
                "Transfer 3c2f8a71-2b1d-4e8a-9f0c-6d5e4b3a2c1b of agreement agr-1 terminated: the sink answered 503",
                "the destination's property 'https://w3id.org/edc/v0.0.1/ns/secretName' names a vault entry",
                "GET /v3/transferprocesses/3c2f8a71-2b1d-4e8a-9f0c-6d5e4b3a2c1b answered 200 in 12 ms",
                "sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "DataFlowRequest 7: no secret found in vault with name kakehashi-did-keys" })
        void redact_whenTheTextHoldsNoSecret_shouldLeaveItAlone(String text) {
            assertThat(redactor.redact(text)).isEqualTo(text);
        }

        @Test
        void redact_whenASecretIsShorterThanTheMinimum_shouldNotTouchTheWordsItMatches() {
            assertThat(redactor.redact("a short answer")).isEqualTo("a short answer");
        }

        @Test
        void redact_whenNoSource_shouldLeaveEverythingAlone() {
            assertThat(new SecretRedactor().redact(JWK)).isEqualTo(JWK);
            assertThat(new SecretRedactor().redact(null)).isNull();
        }
    }

    static final class MutableSource implements SecretSource {
        private final List<String> secrets;
        private long version;

        MutableSource(Collection<String> secrets) {
            this.secrets = new ArrayList<>(secrets);
        }

        synchronized void add(String secret) {
            secrets.add(secret);
            version++;
        }

        @Override
        public synchronized Collection<String> secrets() {
            return List.copyOf(secrets);
        }

        @Override
        public synchronized long version() {
            return version;
        }
    }
}
