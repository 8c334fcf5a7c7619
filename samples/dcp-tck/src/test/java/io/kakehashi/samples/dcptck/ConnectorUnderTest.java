package io.kakehashi.samples.dcptck;

import io.kakehashi.core.vault.KeystoreVault;
import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.samples.support.ConnectorSettings;
import io.kakehashi.samples.support.WorkDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The connector the DCP TCK talks to: the production launcher jar, unchanged and with nothing added to its class path,
 * in its own JVM, with its production DCP identity. It trusts the TCK's issuer (a did:web on the TCK's loopback
 * server) like any dataspace authority. For the credential-service run it also opens its secure token service's
 * HTTP endpoint for one client whose secret is put into its vault before it starts.
 * <p>
 * Not thread-safe.
 */
final class ConnectorUnderTest implements AutoCloseable {

    static final String STS_CLIENT_ID = "dcp-tck";
    private static final String STS_SECRET_ALIAS = "kakehashi-sts-client-secret";
    private static final String DIRECTORY = "kakehashi.tck.directory";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final ConnectorProcess process;
    private final String stsClientSecret;

    private ConnectorUnderTest(ConnectorProcess process, String stsClientSecret) {
        this.process = process;
        this.stsClientSecret = stsClientSecret;
    }

    /**
     * Starts the connector for {@code role} in a fresh working directory, trusting {@code tckIssuerDid}.
     *
     * @throws IllegalStateException when the runtime does not start; the message holds its log's tail
     */
    static ConnectorUnderTest start(Role role, String tckIssuerDid) {
        var directory = Path.of(requiredProperty(DIRECTORY));
        WorkDirectory.clear(directory);
        var settings = new ConnectorSettings("kakehashi-dcp-" + role.name().toLowerCase(java.util.Locale.ROOT), directory)
                .trustIssuer("tck", tckIssuerDid);
        String secret = null;
        if (role == Role.VERIFIER) {
            // the TCK's holder is granted and holds MembershipCredential (and SensitiveDataCredential, which its
            // credential service refuses to a token that does not grant it): the verifier asks for what it needs
            settings.with("kakehashi.identity.dcp.credential-types", "MembershipCredential")
                    .with("kakehashi.identity.dcp.required-credential-types", "MembershipCredential");
        } else {
            secret = "sts-" + UUID.randomUUID();
            settings.with("kakehashi.identity.sts.client-id", STS_CLIENT_ID)
                    .with("kakehashi.identity.sts.client-secret-alias", STS_SECRET_ALIAS);
            storeSecret(settings, STS_SECRET_ALIAS, secret);
        }
        // the connector runs from a copy: a rebuild of the launcher during a run must not pull classes from under it
        var classPath = List.of(copyInto(directory.resolve("lib"), ConnectorProcess.launcherJar()));
        return new ConnectorUnderTest(ConnectorProcess.start(classPath, settings, START_TIMEOUT), secret);
    }

    ConnectorSettings settings() {
        return process.settings();
    }

    /** The base of the connector's identity web context: its DID document, credential service and STS. */
    String identityUrl() {
        // did:web:127.0.0.1%3A<port>:identity
        var did = settings().did();
        var port = did.substring(did.indexOf("%3A") + 3, did.lastIndexOf(':'));
        return "http://127.0.0.1:%s/identity".formatted(port);
    }

    String stsClientSecret() {
        return stsClientSecret;
    }

    Path log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }

    private static void storeSecret(ConnectorSettings settings, String alias, String secret) {
        var vaultFile = Path.of(settings.properties().get("kakehashi.vault.path"));
        try {
            Files.createDirectories(vaultFile.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var vault = KeystoreVault.open(vaultFile, settings.vaultPassword().toCharArray())
                .orElseThrow(failure -> new IllegalStateException("cannot create the vault: " + failure.getFailureDetail()));
        var stored = vault.storeSecret(alias, secret);
        if (stored.failed()) {
            throw new IllegalStateException("cannot store the STS client secret: " + stored.getFailureDetail());
        }
    }

    private static String requiredProperty(String key) {
        var value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property '%s' is not set: run the TCK through Maven (./mvnw -pl samples/dcp-tck verify)".formatted(key));
        }
        return value;
    }

    private static Path copyInto(Path directory, Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("jar not found: %s (build the launcher first: ./mvnw -pl launchers/connector -am package -DskipTests)".formatted(jar));
        }
        try {
            Files.createDirectories(directory);
            return Files.copy(jar, directory.resolve(jar.getFileName())).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + jar, e);
        }
    }
}
