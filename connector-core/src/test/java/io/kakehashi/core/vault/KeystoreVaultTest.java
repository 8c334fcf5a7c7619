package io.kakehashi.core.vault;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class KeystoreVaultTest {

    private static final char[] PASSWORD = "correct horse battery".toCharArray();

    @TempDir
    Path dir;

    private KeystoreVault open() {
        return KeystoreVault.open(dir.resolve("vault.p12"), PASSWORD).getContent();
    }

    @Test
    void open_whenNoFile_shouldCreateAnEmptyVault() {
        var vault = open();

        assertThat(Files.exists(dir.resolve("vault.p12"))).isTrue();
        assertThat(vault.resolveSecret("anything")).isNull();
    }

    @Test
    void storeSecret_shouldBeReadableAfterReopening() {
        var json = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"d\":\"secret\",\"note\":\"日本語も\"}";
        assertThat(open().storeSecret("identity-key", json).succeeded()).isTrue();

        assertThat(open().resolveSecret("identity-key")).isEqualTo(json);
    }

    @Test
    void storeSecret_whenLong_shouldKeepEveryByte() {
        var value = "x".repeat(10_000);
        open().storeSecret("long", value);

        assertThat(open().resolveSecret("long")).isEqualTo(value);
    }

    @Test
    void storeSecret_shouldLeaveNoTemporaryFile() throws Exception {
        open().storeSecret("a", "1");

        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("vault.p12");
        }
    }

    @Test
    void deleteSecret_shouldRemoveItDurably() {
        var vault = open();
        vault.storeSecret("a", "1");

        assertThat(vault.deleteSecret("a").succeeded()).isTrue();
        assertThat(open().resolveSecret("a")).isNull();
    }

    @Test
    void storeSecret_whenKeyWasReadBefore_shouldAnswerTheNewValue() {
        var vault = open();
        vault.storeSecret("token-key", "first");
        assertThat(vault.resolveSecret("token-key")).isEqualTo("first");

        vault.storeSecret("token-key", "second");

        assertThat(vault.resolveSecret("token-key")).isEqualTo("second");
        assertThat(vault.secrets()).containsExactly("second");
        assertThat(open().resolveSecret("token-key")).isEqualTo("second");
    }

    @Test
    void deleteSecret_whenKeyWasReadBefore_shouldNoLongerAnswerIt() {
        var vault = open();
        vault.storeSecret("kept", "kept-value");
        vault.storeSecret("gone", "gone-value");
        assertThat(vault.secrets()).containsExactlyInAnyOrder("kept-value", "gone-value");

        vault.deleteSecret("gone");

        assertThat(vault.resolveSecret("gone")).isNull();
        assertThat(vault.secrets()).containsExactly("kept-value");
    }

    @Nested
    class BadInput {

        @Test
        void open_whenWrongPassword_shouldFailWithoutTouchingTheFile() throws Exception {
            open().storeSecret("a", "1");
            var before = Files.readAllBytes(dir.resolve("vault.p12"));

            var result = KeystoreVault.open(dir.resolve("vault.p12"), "wrong password".toCharArray());

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).contains("password");
            assertThat(Files.readAllBytes(dir.resolve("vault.p12"))).isEqualTo(before);
        }

        @Test
        void open_whenFileIsNotAKeystore_shouldFail() throws Exception {
            Files.writeString(dir.resolve("vault.p12"), "not a keystore");

            assertThat(KeystoreVault.open(dir.resolve("vault.p12"), PASSWORD).failed()).isTrue();
        }

        @Test
        void storeSecret_whenEmptyValue_shouldFailAndKeepThePreviousValue() {
            var vault = open();
            vault.storeSecret("a", "1");

            assertThat(vault.storeSecret("a", "").failed()).isTrue();
            assertThat(open().resolveSecret("a")).isEqualTo("1");
        }

        @Test
        void deleteSecret_whenUnknown_shouldFail() {
            assertThat(open().deleteSecret("unknown").failed()).isTrue();
        }
    }
}
