package io.kakehashi.identity.trust;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.kakehashi.identity.IdentityTestFixtures;
import io.kakehashi.identity.IdentityTestFixtures.RecordingMonitor;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TrustListFileTest {

    @TempDir
    Path dir;

    private final RecordingMonitor monitor = new RecordingMonitor();

    @Test
    void find_whenPeerListed_shouldReturnItsKey() throws Exception {
        var key = IdentityTestFixtures.newKey().toPublicJWK();
        var file = write("{\"maker\": " + key.toJSONString() + "}");

        assertThat(new TrustListFile(file, monitor).find("maker")).contains(TrustedPeer.withKeyOnly(key));
        assertThat(new TrustListFile(file, monitor).find("stranger")).isEmpty();
    }

    @Test
    void find_whenThePeerComesWithClaims_shouldKeepThem() throws Exception {
        var key = IdentityTestFixtures.newKey().toPublicJWK();
        var file = write("{\"ai-vendor\": {\"publicKey\": " + key.toJSONString() + ", \"countryOfRegistration\": \"JP\", \"legalName\": \"AI Vendor K.K.\"}}");

        var peer = new TrustListFile(file, monitor).find("ai-vendor").orElseThrow();

        assertThat(peer.publicKey()).isEqualTo(key);
        assertThat(peer.countryOfRegistration()).contains("JP");
        assertThat(peer.legalName()).contains("AI Vendor K.K.");
    }

    @Test
    void find_whenFileMissing_shouldTrustNobody() {
        assertThat(new TrustListFile(dir.resolve("absent.json"), monitor).find("maker")).isEmpty();
    }

    @Test
    void find_whenFileChanges_shouldSeeTheNewPeer() throws Exception {
        var file = write("{}");
        var trustList = new TrustListFile(file, monitor);
        assertThat(trustList.find("maker")).isEmpty();

        var key = IdentityTestFixtures.newKey().toPublicJWK();
        Files.writeString(file, "{\"maker\": " + key.toJSONString() + "}");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(trustList.find("maker").map(TrustedPeer::publicKey)).contains(key);
    }

    @Test
    void find_whenTheFileIsReplacedWithinTheSameClockTick_shouldSeeTheNewPeer() throws Exception {
        var file = write("{}");
        var sameTime = Files.getLastModifiedTime(file);
        var trustList = new TrustListFile(file, monitor);
        assertThat(trustList.find("maker")).isEmpty();

        var key = IdentityTestFixtures.newKey().toPublicJWK();
        var replacement = dir.resolve("replacement.json");
        Files.writeString(replacement, "{\"maker\": " + key.toJSONString() + "}");
        Files.setLastModifiedTime(replacement, sameTime);
        Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        assertThat(trustList.find("maker").map(TrustedPeer::publicKey)).contains(key);
    }

    @Nested
    class BadInput {

        @Test
        void find_whenFileBecomesBroken_shouldKeepTheLastGoodListAndSaySo() throws Exception {
            var key = IdentityTestFixtures.newKey().toPublicJWK();
            var file = write("{\"maker\": " + key.toJSONString() + "}");
            var trustList = new TrustListFile(file, monitor);
            assertThat(trustList.find("maker").map(TrustedPeer::publicKey)).contains(key);

            Files.writeString(file, "{\"maker\": ");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

            assertThat(trustList.find("maker").map(TrustedPeer::publicKey)).contains(key);
            assertThat(monitor.warnings).singleElement().asString().contains("previous list stays in force");
        }

        @Test
        void parse_whenAPrivateKeyIsListed_shouldFail() {
            var result = TrustListFile.parse("{\"maker\": " + IdentityTestFixtures.newKey().toJSONString() + "}");

            assertThat(result.getFailureDetail()).contains("maker").contains("private");
        }

        @Test
        void parse_whenKeyIsNotP256_shouldFail() throws Exception {
            var p384 = new ECKeyGenerator(Curve.P_384).generate().toPublicJWK();

            assertThat(TrustListFile.parse("{\"maker\": " + p384.toJSONString() + "}").getFailureDetail()).contains("P-256");
        }

        @Test
        void parse_whenValueIsNotAnObject_shouldFail() {
            assertThat(TrustListFile.parse("{\"maker\": \"a key\"}").getFailureDetail()).contains("maker");
        }

        @Test
        void parse_whenTheCountryIsNotAnIsoCode_shouldFail() {
            var key = IdentityTestFixtures.newKey().toPublicJWK().toJSONString();

            assertThat(TrustListFile.parse("{\"v\": {\"publicKey\": " + key + ", \"countryOfRegistration\": \"Japan\"}}").getFailureDetail())
                    .contains("not an ISO 3166-1 alpha-2 code");
            assertThat(TrustListFile.parse("{\"v\": {\"publicKey\": " + key + ", \"countryOfRegistration\": \"XX\"}}").failed()).isTrue();
        }

        @Test
        void parse_whenTheCorporateNumberHasAWrongCheckDigit_shouldFailNamingThePeer() {
            var key = IdentityTestFixtures.newKey().toPublicJWK().toJSONString();

            assertThat(TrustListFile.parse("{\"v\": {\"publicKey\": " + key + ", \"registryId\": \"JCN:2180301018771\"}}").getFailureDetail())
                    .isEqualTo("peer 'v': registryId: corporate number '2180301018771' has a wrong check digit (expected 1)");
        }

        @Test
        void parse_whenTheLeiFailsItsCheck_shouldFail() {
            var key = IdentityTestFixtures.newKey().toPublicJWK().toJSONString();

            assertThat(TrustListFile.parse("{\"v\": {\"publicKey\": " + key + ", \"registryId\": \"LEI:HWUPKR0MPOU8FGXBT395\"}}").getFailureDetail())
                    .contains("MOD 97-10");
        }

        @Test
        void parse_whenThePublicKeyIsMissing_shouldFail() {
            assertThat(TrustListFile.parse("{\"v\": {\"countryOfRegistration\": \"JP\"}}").getFailureDetail()).contains("no publicKey");
        }

        @Test
        void parse_whenNotJson_shouldFail() {
            assertThat(TrustListFile.parse("maker=key").failed()).isTrue();
        }
    }

    private Path write(String json) throws Exception {
        var file = dir.resolve("trusted-peers.json");
        Files.writeString(file, json);
        return file;
    }
}
