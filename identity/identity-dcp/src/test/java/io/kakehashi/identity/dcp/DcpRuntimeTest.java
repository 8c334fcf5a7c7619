package io.kakehashi.identity.dcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.identity.credentials.CredentialIssuer;
import io.kakehashi.identity.credentials.CredentialTestFixtures.Authority;
import io.kakehashi.identity.credentials.CredentialTestFixtures;
import io.kakehashi.identity.credentials.Credentials;
import io.kakehashi.identity.credentials.StatusEntry;
import io.kakehashi.identity.did.DidDocumentServer;
import io.kakehashi.testfixtures.Ports;
import org.eclipse.edc.junit.annotations.EndToEndTest;
import org.eclipse.edc.junit.extensions.EmbeddedRuntime;
import org.eclipse.edc.junit.extensions.RuntimeExtension;
import org.eclipse.edc.junit.extensions.RuntimePerClassExtension;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two connectors' control planes with the did:web and DCP identity, in one JVM on loopback: the provider serves its DID
 * document and credential service through Jetty, the consumer's DSP catalog request is accepted because it holds a
 * membership from a trusted authority, and refused once that membership is revoked; a forged token at the protocol
 * endpoint is a 401.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EndToEndTest
class DcpRuntimeTest {

    private static final String API_KEY = "dcp-runtime-test-key";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final DidDocumentServer AUTHORITY_SERVER = authorityServer();
    private static final Authority AUTHORITY = new Authority(AUTHORITY_SERVER, "authority-jp");
    private static final Path WORK = Path.of("target", "dcp-runtime-" + UUID.randomUUID());

    private static final Node PROVIDER = new Node("provider");
    private static final Node CONSUMER = new Node("consumer");
    private static final StatusEntry CONSUMER_MEMBERSHIP = AUTHORITY.nextStatus();

    static {
        hold(PROVIDER, AUTHORITY.issuer.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(PROVIDER.did, "manufacturing-x"),
                Instant.now().minusSeconds(60), null, AUTHORITY.nextStatus()).getContent());
        hold(CONSUMER, AUTHORITY.issuer.issue(Credentials.MEMBERSHIP, CredentialIssuer.membership(CONSUMER.did, "manufacturing-x"),
                Instant.now().minusSeconds(60), null, CONSUMER_MEMBERSHIP).getContent());
        hold(CONSUMER, AUTHORITY.issuer.issue(Credentials.LEGAL_ENTITY, CredentialIssuer.legalEntity(CONSUMER.did, "Consumer K.K.", "JP", CredentialTestFixtures.VALID_JCN),
                Instant.now().minusSeconds(60), null, AUTHORITY.nextStatus()).getContent());
    }

    @RegisterExtension
    static final RuntimeExtension PROVIDER_RUNTIME = new RuntimePerClassExtension(PROVIDER.runtime());
    @RegisterExtension
    static final RuntimeExtension CONSUMER_RUNTIME = new RuntimePerClassExtension(CONSUMER.runtime());

    @AfterAll
    static void stopAuthority() {
        AUTHORITY_SERVER.close();
    }

    @Test
    @Order(0)
    void runtime_shouldUseTheDcpIdentityAndHaveTheDataPlaneKeys() throws Exception {
        assertThat(PROVIDER_RUNTIME.getService(org.eclipse.edc.spi.iam.IdentityService.class))
                .isInstanceOf(io.kakehashi.identity.dcp.verifier.DcpIdentityService.class);
        var vault = PROVIDER_RUNTIME.getService(org.eclipse.edc.spi.security.Vault.class);
        var signer = com.nimbusds.jose.jwk.ECKey.parse(vault.resolveSecret("dataplane-token-signer"));
        assertThat(signer.isPrivate()).isTrue();
        assertThat(vault.resolveSecret("dataplane-token-verifier")).isEqualTo(signer.toPublicJWK().toJSONString());
    }

    @Test
    @Order(1)
    void didDocument_shouldBeServedOnTheIdentityContext() throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d/identity/did.json".formatted(PROVIDER.identityPort))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        var document = MAPPER.readTree(response.body());
        assertThat(document.get("id").asText()).isEqualTo(PROVIDER.did);
        assertThat(document.get("verificationMethod").get(0).get("publicKeyJwk").get("crv").asText()).isEqualTo("P-256");
        assertThat(document.get("verificationMethod").get(0).has("d")).isFalse();
        assertThat(document.get("service").get(0).get("type").asText()).isEqualTo("CredentialService");
    }

    @Test
    @Order(2)
    void presentationQuery_withoutToken_shouldBe401() throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d/identity/presentations/query".formatted(PROVIDER.identityPort)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"PresentationQueryMessage\",\"scope\":[]}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    @Order(3)
    void catalogRequest_whenConsumerHoldsTrustedMembership_shouldBeAnswered() {
        var response = requestCatalog();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"Catalog\"").contains(PROVIDER.did);
    }

    @Test
    @Order(4)
    void protocolRequest_withForgedToken_shouldBe401NotA500() throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d/protocol/2025-1/catalog/request".formatted(PROVIDER.protocolPort)))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJkaWQ6d2ViOmV2aWwifQ.c2ln")
                .POST(HttpRequest.BodyPublishers.ofString("{\"@context\":[\"https://w3id.org/dspace/2025/1/context.jsonld\"],\"@type\":\"CatalogRequestMessage\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    @Order(5)
    void catalogRequest_whenMembershipRevoked_shouldBeRefused() {
        AUTHORITY.revoke(CONSUMER_MEMBERSHIP);

        var response = requestCatalog();

        assertThat(response.statusCode()).as(response.body()).isNotEqualTo(200);
    }

    private static HttpResponse<String> requestCatalog() {
        var body = Map.of(
                "@context", Map.of("@vocab", "https://w3id.org/edc/v0.0.1/ns/"),
                "@type", "CatalogRequest",
                "counterPartyAddress", "http://127.0.0.1:%d/protocol/2025-1".formatted(PROVIDER.protocolPort),
                "counterPartyId", PROVIDER.did,
                "protocol", "dataspace-protocol-http:2025-1");
        try {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d/management/v3/catalog/request".formatted(CONSUMER.managementPort)))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .header("x-api-key", API_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body))).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void hold(Node node, String jwt) {
        try {
            Files.createDirectories(node.credentials);
            Files.writeString(node.credentials.resolve(UUID.randomUUID() + ".jwt"), jwt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DidDocumentServer authorityServer() {
        try {
            return new DidDocumentServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One connector's ports, DID and configuration. */
    private static final class Node {
        final String name;
        final int identityPort = Ports.freePort();
        final int protocolPort = Ports.freePort();
        final int managementPort = Ports.freePort();
        final String did;
        final Path credentials;

        Node(String name) {
            this.name = name;
            this.did = "did:web:127.0.0.1%3A" + identityPort + ":identity";
            this.credentials = WORK.resolve(name).resolve("credentials");
        }

        EmbeddedRuntime runtime() {
            return new EmbeddedRuntime(name, new URL[0]).configurationProvider(() -> {
                var config = new HashMap<String, String>();
                config.put("edc.participant.id", did);
                config.put("edc.component.id", name);
                config.put("web.http.port", String.valueOf(Ports.freePort()));
                config.put("web.http.path", "/api");
                config.put("web.http.management.port", String.valueOf(managementPort));
                config.put("web.http.management.path", "/management");
                config.put("web.http.management.auth.type", "tokenbased");
                config.put("web.http.management.auth.key", API_KEY);
                config.put("web.http.protocol.port", String.valueOf(protocolPort));
                config.put("web.http.protocol.path", "/protocol");
                config.put("web.http.control.port", String.valueOf(Ports.freePort()));
                config.put("web.http.control.path", "/control");
                config.put("web.http.identity.port", String.valueOf(identityPort));
                config.put("web.http.identity.path", "/identity");
                config.put("edc.dsp.callback.address", "http://127.0.0.1:%d/protocol".formatted(protocolPort));
                config.put("kakehashi.identity.did.http-loopback", "true");
                config.put("edc.transfer.proxy.token.signer.privatekey.alias", "dataplane-token-signer");
                config.put("edc.transfer.proxy.token.verifier.publickey.alias", "dataplane-token-verifier");
                config.put("kakehashi.identity.credentials.dir", credentials.toString());
                config.put("kakehashi.identity.trusted-issuers.jp.id", AUTHORITY.did.id());
                // the revocation test must see a new status list at once
                config.put("kakehashi.identity.status-list.cache", "PT0.001S");
                return ConfigFactory.fromMap(config);
            });
        }
    }
}
