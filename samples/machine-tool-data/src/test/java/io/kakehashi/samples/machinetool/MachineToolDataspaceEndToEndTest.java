package io.kakehashi.samples.machinetool;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.ManagementClient;
import io.kakehashi.samples.support.WorkDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two connectors from the launcher jar, each in its own JVM, talking DSP 2025-1 over loopback: the machine-tool
 * sample end to end, and the identity checks at the provider's protocol endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MachineToolDataspaceEndToEndTest {

    private static final String CATALOG_REQUEST = """
            {"@context": ["https://w3id.org/dspace/2025/1/context.jsonld"], "@type": "CatalogRequestMessage"}""";

    private final Path workDir = Path.of("target", "e2e", "machine-tool");
    private MachineToolDataspace dataspace;
    private MachineToolDataspace.Outcome outcome;

    @BeforeAll
    void runSample() throws Exception {
        WorkDirectory.clear(workDir);
        dataspace = new MachineToolDataspace(workDir, new PrintStream(Files.newOutputStream(Files.createDirectories(workDir).resolve("steps.txt"))),
                UnaryOperator.identity());
        outcome = dataspace.run(20_000);
    }

    @AfterAll
    void stop() {
        if (dataspace != null) {
            dataspace.close();
        }
    }

    @Test
    void sample_shouldDeliverTheMakersBytesUnchanged() throws Exception {
        var source = workDir.resolve("maker-backend").resolve(MachineToolDataspace.DATA_FILE);
        assertThat(outcome.bytes()).isEqualTo(Files.size(source)).isGreaterThan(1_000_000);
        assertThat(Files.mismatch(source, outcome.received())).isEqualTo(-1L);
        assertThat(outcome.receivedSha256()).isEqualTo(outcome.sourceSha256());
    }

    @Test
    void sample_shouldLeaveAnAgreementKnownToBothSidesAndACompletedTransfer() {
        var consumerApi = dataspace.consumer().management();
        var providerApi = dataspace.provider().management();

        var consumerAgreement = consumerApi.get("/v3/contractagreements/" + outcome.agreementId());
        assertThat(consumerAgreement.path("assetId").asText()).isEqualTo(MachineToolDataspace.ASSET_ID);
        // each side keeps the agreement under its own id; the agreement id of the protocol is shared
        assertThat(Agreements.sharedIdsOf(providerApi)).contains(consumerAgreement.path("agreementId").asText());
        assertThat(consumerApi.transfer(outcome.transferId()).path("state").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void sample_shouldShowTheRefusedRequestWithItsReasonAndTheAuditorBothDecisions() {
        assertThat(outcome.refusal()).contains("denied by policy").contains("EU_EEA");
        // the allowed negotiation and the refused one, each recorded once in the negotiation scope
        assertThat(outcome.audit().negotiationDecisions()).isEqualTo(2);
        assertThat(outcome.audit().intact()).isTrue();
    }

    @Test
    void transfer_whenTheAgreementIsUsedAgain_shouldDeliverAgain() throws Exception {
        var delivery = dataspace.transfer(outcome.agreementId(), "delivery-again.csv");

        assertThat(Files.mismatch(outcome.received(), delivery.file())).isEqualTo(-1L);
    }

    @Test
    void managementApi_withoutTheApiKey_shouldBeRefused() {
        var withoutKey = new ManagementClient(dataspace.providerSettings().managementUrl(), "not-the-key-of-this-connector");

        assertThatThrownBy(() -> withoutKey.get("/v3/assets/" + MachineToolDataspace.ASSET_ID))
                .isInstanceOfSatisfying(ManagementClient.ManagementApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Nested
    class ProtocolEndpointIdentity {

        @Test
        void catalogRequest_whenTheConsumerIsNotInTheTrustList_shouldBeRefused() {
            var strangerSettings = new ConnectorSettings("unlisted-vendor", workDir.resolve("unlisted-vendor"));
            try (var stranger = ConnectorProcess.start(strangerSettings, MachineToolDataspace.START_TIMEOUT)) {
                // the stranger trusts the maker, but the maker has never heard of the stranger
                strangerSettings.trust(dataspace.providerSettings());

                assertThatThrownBy(() -> stranger.management().requestCatalog(dataspace.providerSettings().dspAddress(), MachineToolDataspace.PROVIDER_ID))
                        .isInstanceOf(ManagementClient.ManagementApiException.class);
                assertThat(dataspace.provider().logTail(400)).contains("issuer 'unlisted-vendor' is not in the trust list");
            }
        }

        @Test
        void catalogRequest_withoutAToken_shouldBe401() throws Exception {
            assertThat(postCatalogRequest(null).statusCode()).isEqualTo(401);
        }

        @Test
        void catalogRequest_withATokenSignedByAnotherKey_shouldBe401() throws Exception {
            var forged = selfIssuedToken(MachineToolDataspace.CONSUMER_ID, MachineToolDataspace.PROVIDER_ID, Instant.now().plusSeconds(60));

            assertThat(postCatalogRequest(forged).statusCode()).isEqualTo(401);
            assertThat(dataspace.provider().logTail(400)).contains("token signature does not verify against the trusted key of 'ai-vendor'");
        }

        @Test
        void catalogRequest_withGarbageForAToken_shouldBe401() throws Exception {
            assertThat(postCatalogRequest("eyJhbGciOiJub25lIn0.e30.").statusCode()).isEqualTo(401);
        }

        private HttpResponse<String> postCatalogRequest(String token) throws Exception {
            var request = HttpRequest.newBuilder(URI.create(dataspace.providerSettings().dspAddress() + "/catalog/request"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(CATALOG_REQUEST));
            if (token != null) {
                request.header("Authorization", token);
            }
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        private String selfIssuedToken(String issuer, String audience, Instant expiry) throws Exception {
            var key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
            var claims = new JWTClaimsSet.Builder().issuer(issuer).subject(issuer).audience(audience)
                    .issueTime(new Date()).expirationTime(Date.from(expiry)).jwtID(UUID.randomUUID().toString()).build();
            var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        }
    }
}
