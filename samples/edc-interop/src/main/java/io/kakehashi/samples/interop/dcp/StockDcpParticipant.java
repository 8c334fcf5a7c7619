package io.kakehashi.samples.interop.dcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.ManagementClient;
import io.kakehashi.testfixtures.Ports;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A stock EDC 0.15.1 DCP participant: an IdentityHub (STS, credential service, did:web document, identity API) and a
 * control plane with an embedded data plane, each in its own JVM on loopback, assembled from Maven Central by
 * {@code samples/edc-interop-identityhub} and {@code samples/edc-interop-stock-dcp}. Its DID,
 * {@code did:web:127.0.0.1%3A<did port>:<name>}, is served by the IdentityHub. The participant context, its key and
 * its credentials are made through IdentityHub's identity API, as an operator would; the only thing seeded from inside
 * is the first admin (see {@code AdminSeedExtension}).
 * <p>
 * Not thread-safe.
 */
public final class StockDcpParticipant implements AutoCloseable {

    public static final String IDENTITYHUB_CLASSPATH_PROPERTY = "kakehashi.interop.identityhub.classpath";
    public static final String STOCK_DCP_CLASSPATH_PROPERTY = "kakehashi.interop.stock-dcp.classpath";
    /** The IdentityHub's and the stock connector's glue classes and registrations, and the loopback-only harness. */
    public static final String IDENTITYHUB_HARNESS_PROPERTY = "kakehashi.interop.identityhub.harness";
    public static final String STOCK_DCP_HARNESS_PROPERTY = "kakehashi.interop.stock-dcp.harness";

    /**
     * The credential types of this dataspace: what the stock side's STS grants and its verifier asks for, and what the
     * Kakehashi side must ask for too ({@code kakehashi.identity.dcp.credential-types}). They must be the same on both
     * sides and each participant must hold one of each: IdentityHub 0.15.1 answers 403 to a query beyond its access
     * token's scopes, and stock EDC 0.15.1 refuses a presentation holding fewer credentials than it asked scopes for
     * ("Number of requested credentials does not match the number of returned credentials").
     */
    public static final List<String> CREDENTIAL_TYPES = List.of("MembershipCredential", "LegalEntityCredential");
    private static final String EDC_SCOPE_ALIAS = "org.eclipse.edc.vc.type";
    private static final String ADMIN_ID = "admin";

    private final String did;
    private final ConnectorSettings identityHubSettings;
    private final ConnectorSettings connectorSettings;
    private final int identityPort = Ports.freePort();
    private final int credentialsPort = Ports.freePort();
    private final int stsPort = Ports.freePort();
    private final int didPort = Ports.freePort();
    private final String adminKey = Base64.getUrlEncoder().withoutPadding().encodeToString(ADMIN_ID.getBytes(StandardCharsets.UTF_8))
            + "." + UUID.randomUUID();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ConnectorProcess identityHub;
    private ConnectorProcess connector;

    /**
     * @param name      the participant's short name (its DID's last segment, its JVMs' log names)
     * @param directory where both JVMs keep their files
     */
    public StockDcpParticipant(String name, Path directory) {
        this.did = "did:web:127.0.0.1%3A" + didPort + ":" + name;
        this.identityHubSettings = new ConnectorSettings(name + "-identityhub", directory.resolve(name + "-identityhub"));
        this.connectorSettings = new ConnectorSettings(name + "-connector", directory.resolve(name + "-connector"));
    }

    public String did() {
        return did;
    }

    /** The connector's settings, to add to before {@link #startConnector}. */
    public ConnectorSettings connectorSettings() {
        return connectorSettings;
    }

    public ConnectorProcess connector() {
        return connector;
    }

    /** Starts the IdentityHub and makes the participant context (its key, DID document and STS account). */
    public StockDcpParticipant startIdentityHub(Duration timeout) {
        var settings = identityHubSettings;
        settings.properties().keySet().forEach(settings::without);
        settings.with("edc.component.id", settings.name())
                .with("edc.participant.id", did)
                .with("web.http.port", String.valueOf(Ports.freePort())).with("web.http.path", "/api")
                .with("web.http.identity.port", String.valueOf(identityPort)).with("web.http.identity.path", "/api/identity")
                .with("web.http.credentials.port", String.valueOf(credentialsPort)).with("web.http.credentials.path", "/api/credentials")
                .with("web.http.sts.port", String.valueOf(stsPort)).with("web.http.sts.path", "/api/sts")
                .with("web.http.did.port", String.valueOf(didPort)).with("web.http.did.path", "/")
                .with("web.http.accounts.port", String.valueOf(Ports.freePort())).with("web.http.accounts.path", "/api/accounts")
                .with("web.http.version.port", String.valueOf(Ports.freePort())).with("web.http.version.path", "/api/version")
                .with("edc.iam.did.web.use.https", "false")
                .with("kakehashi.interop.ih.admin-id", ADMIN_ID)
                .with("kakehashi.interop.ih.admin-api-key", adminKey);
        settings.programArgument("--log-level=DEBUG");
        identityHub = ConnectorProcess.start(classPath(IDENTITYHUB_CLASSPATH_PROPERTY, IDENTITYHUB_HARNESS_PROPERTY), settings.vaultPassword(null), timeout);
        return this;
    }

    /**
     * Creates the participant context through the identity API and starts the connector with the STS account it got.
     * Call {@link #storeCredential} before, so the connector's first request finds its credentials.
     */
    public StockDcpParticipant startConnector(String trustedIssuerDid, Duration timeout) {
        var account = createParticipantContext();
        var settings = connectorSettings.withoutKakehashiContexts()
                .with("edc.hostname", "127.0.0.1")
                .with("edc.participant.id", did)
                .with("edc.iam.issuer.id", did)
                .with("edc.iam.did.web.use.https", "false")
                // a revocation shows within a second, as Kakehashi's status-list cache in ConnectorSettings
                .with("edc.iam.credential.revocation.cache.validity", "1000")
                .with("edc.iam.trusted-issuer.authority.id", trustedIssuerDid)
                .with("edc.iam.sts.oauth.token.url", "http://127.0.0.1:%d/api/sts/token".formatted(stsPort))
                .with("edc.iam.sts.oauth.client.id", account.path("clientId").asText())
                .with("edc.iam.sts.oauth.client.secret.alias", "stock-sts-client-secret")
                .with("kakehashi.interop.sts.client-secret", account.path("clientSecret").asText())
                .with("kakehashi.interop.dcp.default-scopes", String.join(",",
                        CREDENTIAL_TYPES.stream().map(type -> EDC_SCOPE_ALIAS + ":" + type + ":read").toList()));
        // EDC logs why it refuses a peer's token only at DEBUG
        settings.programArgument("--log-level=DEBUG");
        connector = ConnectorProcess.start(classPath(STOCK_DCP_CLASSPATH_PROPERTY, STOCK_DCP_HARNESS_PROPERTY), settings, timeout);
        return this;
    }

    private JsonNode participantContext;

    private JsonNode createParticipantContext() {
        if (participantContext != null) {
            return participantContext;
        }
        var mapper = ManagementClient.mapper();
        var manifest = mapper.createObjectNode()
                .put("participantContextId", did)
                .put("did", did)
                .put("active", true);
        manifest.putObject("key")
                .put("keyId", did + "#key-1")
                .put("privateKeyAlias", did + "#key-1")
                .putObject("keyGeneratorParams").put("algorithm", "EC").put("curve", "secp256r1");
        manifest.putArray("serviceEndpoints").addObject()
                .put("id", "credential-service")
                .put("type", "CredentialService")
                .put("serviceEndpoint", "http://127.0.0.1:%d/api/credentials/v1/participants/%s".formatted(credentialsPort, encoded(did)));
        manifest.putArray("roles");
        participantContext = post("/v1alpha/participants", manifest, 200);
        return participantContext;
    }

    /**
     * Stores a VC 1.1 JWT credential in the participant's IdentityHub through the identity API, with the parsed form
     * IdentityHub queries by type.
     */
    public void storeCredential(Path jwtFile) {
        createParticipantContext();
        try {
            var jwt = Files.readString(jwtFile).trim();
            var payload = ManagementClient.mapper().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
            var vc = payload.path("vc");
            var mapper = ManagementClient.mapper();
            var credential = mapper.createObjectNode();
            credential.put("id", vc.path("id").asText(payload.path("jti").asText()));
            credential.set("type", vc.path("type"));
            credential.putObject("issuer").put("id", payload.path("iss").asText());
            credential.put("issuanceDate", vc.path("issuanceDate").asText());
            if (vc.hasNonNull("expirationDate")) {
                credential.put("expirationDate", vc.path("expirationDate").asText());
            }
            var subject = ((ObjectNode) vc.path("credentialSubject").deepCopy());
            var subjectId = subject.remove("id");
            var subjects = credential.putArray("credentialSubject").addObject();
            subjects.put("id", subjectId == null ? did : subjectId.asText());
            subjects.set("claims", subject);
            var statuses = credential.putArray("credentialStatus");
            var status = vc.path("credentialStatus");
            for (var entry : status.isArray() ? status : List.of(status)) {
                if (entry.isObject()) {
                    var copy = ((ObjectNode) entry.deepCopy());
                    var statusObject = statuses.addObject();
                    statusObject.set("id", copy.remove("id"));
                    statusObject.set("type", copy.remove("type"));
                    statusObject.set("additionalProperties", copy);
                }
            }
            var manifest = mapper.createObjectNode()
                    .put("id", UUID.randomUUID().toString())
                    .put("participantContextId", did);
            manifest.putObject("verifiableCredentialContainer")
                    .put("rawVc", jwt)
                    .put("format", "VC1_0_JWT")
                    .set("credential", credential);
            post("/v1alpha/participants/" + encoded(did) + "/credentials", manifest, 204);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode post(String path, JsonNode body, int expected) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d/api/identity%s".formatted(identityPort, path)))
                .header("x-api-key", adminKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("IdentityHub %s answered %d: %s".formatted(path, response.statusCode(), response.body()));
            }
            return response.body().isBlank() ? ManagementClient.mapper().createObjectNode() : ManagementClient.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encoded(String id) {
        return Base64.getUrlEncoder().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The class path of the stock DCP control plane with its embedded data plane, glue and loopback harness, for
     * starting it without this class (the start-up benchmark starts it alone, without an IdentityHub).
     */
    public static List<Path> connectorClassPath() {
        return classPath(STOCK_DCP_CLASSPATH_PROPERTY, STOCK_DCP_HARNESS_PROPERTY);
    }

    private static List<Path> classPath(String classPathFileProperty, String harnessProperty) {
        var file = System.getProperty(classPathFileProperty);
        var harness = System.getProperty(harnessProperty);
        if (file == null || harness == null) {
            throw new IllegalStateException("%s and %s are not set: run through Maven (see samples/edc-interop/README.md)"
                    .formatted(classPathFileProperty, harnessProperty));
        }
        try {
            var entries = new ArrayList<Path>();
            for (var text : List.of(Files.readString(Path.of(file)), harness)) {
                Arrays.stream(text.trim().split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).forEach(entries::add);
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("class path file %s cannot be read; build samples/edc-interop-* first".formatted(file), e);
        }
    }

    @Override
    public void close() {
        for (var process : new ConnectorProcess[]{connector, identityHub}) {
            if (process != null) {
                process.close();
            }
        }
    }
}
