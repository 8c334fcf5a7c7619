package io.kakehashi.core.web.tls;

import io.kakehashi.testfixtures.TestDataspaceCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServerKeystoreTest {

    private static final char[] PASSWORD = "keystore-secret".toCharArray();
    private final TestDataspaceCa ca = TestDataspaceCa.create("Test Dataspace CA");

    @TempDir
    Path directory;

    @Test
    void load_whenCertificateNamesTheHost_shouldReturnItsAlias() throws Exception {
        var file = ca.writeServerKeystore(directory.resolve("tls.p12"), PASSWORD, "provider.example.jp", "10.77.0.3");

        assertThat(ServerKeystore.load(file, PASSWORD, "provider.example.jp").getContent().alias()).isEqualTo("server");
        assertThat(ServerKeystore.load(file, PASSWORD, "10.77.0.3").succeeded()).isTrue();
    }

    @Test
    void load_whenFileIsMissing_shouldSaySo() {
        var result = ServerKeystore.load(directory.resolve("absent.p12"), PASSWORD, "provider.example.jp");

        assertThat(result.getFailureDetail()).contains("does not exist");
    }

    @Test
    void load_whenPasswordIsWrong_shouldFailWithoutNamingThePassword() throws Exception {
        var file = ca.writeServerKeystore(directory.resolve("tls.p12"), PASSWORD, "provider.example.jp");

        var result = ServerKeystore.load(file, "wrong-one".toCharArray(), "provider.example.jp");

        assertThat(result.getFailureDetail()).contains("cannot be opened").doesNotContain("wrong-one").doesNotContain("keystore-secret");
    }

    @Test
    void load_whenFileIsNoKeystore_shouldFail() throws Exception {
        var file = Files.writeString(directory.resolve("tls.p12"), "not a keystore");

        assertThat(ServerKeystore.load(file, PASSWORD, "provider.example.jp").getFailureDetail()).contains("cannot be opened");
    }

    @Test
    void load_whenCertificateNamesAnotherHost_shouldListTheNamesItHas() throws Exception {
        var file = ca.writeServerKeystore(directory.resolve("tls.p12"), PASSWORD, "consumer.example.de");

        var result = ServerKeystore.load(file, PASSWORD, "provider.example.jp");

        assertThat(result.getFailureDetail()).contains("provider.example.jp").contains("consumer.example.de");
    }

    @Test
    void load_whenCertificateHasExpired_shouldFail() throws Exception {
        var file = ca.writeServerKeystore(directory.resolve("tls.p12"), PASSWORD, Instant.now().minusSeconds(60), "provider.example.jp");

        assertThat(ServerKeystore.load(file, PASSWORD, "provider.example.jp").getFailureDetail()).contains("cannot be used");
    }

    @Test
    void covers_whenWildcard_shouldCoverExactlyOneLabel() {
        var names = List.of("*.example.jp");

        assertThat(ServerKeystore.covers(names, "provider.example.jp")).isTrue();
        assertThat(ServerKeystore.covers(names, "a.provider.example.jp")).isFalse();
        assertThat(ServerKeystore.covers(names, "example.jp")).isFalse();
        assertThat(ServerKeystore.covers(List.of("provider.example.jp"), "PROVIDER.example.jp")).isTrue();
    }
}
