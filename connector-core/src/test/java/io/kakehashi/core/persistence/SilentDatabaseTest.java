package io.kakehashi.core.persistence;

import io.kakehashi.testfixtures.Ports;
import org.eclipse.edc.boot.system.ServiceLocator;
import org.eclipse.edc.boot.system.ServiceLocatorImpl;
import org.eclipse.edc.boot.system.runtime.BaseRuntime;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.spi.system.ConfigurationExtension;
import org.eclipse.edc.spi.system.configuration.Config;
import org.eclipse.edc.spi.system.configuration.ConfigFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.LogManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A PostgreSQL that accepts connections and never answers (a loopback socket that reads nothing and writes nothing):
 * the connection fails within the connect bound, and the failure names the address and the setting, never the user or
 * the password. The bound asserted (60 s) only catches a hang; the connection fails after the connect timeout, set to
 * 1 s here so that the tests wait 1 s rather than the setting's 5 s default.
 */
class SilentDatabaseTest {

    private static final Duration HANG = Duration.ofSeconds(60);

    private ServerSocket silent;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        var acceptor = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    accepted.add(silent.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-database");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void close() throws IOException {
        silent.close();
        for (var socket : accepted) {
            socket.close();
        }
    }

    @Test
    void create_whenTheServerNeverAnswers_shouldFailNamingTheAddressAndTheSetting() {
        var url = "jdbc:postgresql://127.0.0.1:%d/kakehashi?password=url-secret-1".formatted(silent.getLocalPort());
        var factory = new BoundedConnectionFactory(Map.of(url, "edc.datasource.default.url"), "fallback", 1, 60);
        var properties = new Properties();
        properties.put("user", "operator-user-7");
        properties.put("password", "operator-secret-7");

        var failure = assertTimeoutPreemptively(HANG, () -> catchFailure(() -> factory.create(url, properties)));

        assertThat(failure).isInstanceOf(EdcPersistenceException.class).hasNoCause();
        assertThat(failure.getMessage())
                .contains("127.0.0.1:" + silent.getLocalPort())
                .contains("'edc.datasource.default.url'")
                .contains(BoundedConnectionsExtension.CONNECT_TIMEOUT_KEY)
                .doesNotContain("operator-user-7").doesNotContain("operator-secret-7").doesNotContain("url-secret-1");
        assertThat(accepted).as("the driver reached the silent server").isNotEmpty();
    }

    @Test
    void create_whenTheOperatorSetATimeout_shouldKeepIt() {
        var url = "jdbc:postgresql://127.0.0.1:%d/kakehashi".formatted(silent.getLocalPort());
        var factory = new BoundedConnectionFactory(Map.of(), "edc.datasource.default.url", 5, 60);
        var properties = new Properties();
        properties.put("connectTimeout", "1");
        properties.put("loginTimeout", "1");

        var failure = assertTimeoutPreemptively(HANG, () -> catchFailure(() -> factory.create(url, properties)));

        assertThat(failure.getMessage()).contains("connect timeout 1 s, login timeout 1 s, socket timeout 60 s")
                .contains("'edc.datasource.default.url'");
    }

    @Test
    void addresses_shouldNameEveryHostAndPortAndNothingElse() {
        assertThat(BoundedConnectionFactory.addresses("jdbc:postgresql://db1:5433,db2/x?user=u&password=p"))
                .isEqualTo("db1:5433, db2:5432");
        assertThat(BoundedConnectionFactory.addresses("jdbc:postgresql:///x")).isEqualTo("localhost:5432");
    }

    @Test
    void start_whenTheDatasourceNeverAnswers_shouldFailNamingTheAddressAndTheSetting() {
        var config = ConfigFactory.fromMap(Map.ofEntries(
                Map.entry("edc.datasource.default.url", "jdbc:postgresql://127.0.0.1:%d/kakehashi".formatted(silent.getLocalPort())),
                Map.entry("edc.datasource.default.user", "operator-user-7"),
                Map.entry("edc.datasource.default.password", "operator-secret-7"),
                Map.entry(BoundedConnectionsExtension.CONNECT_TIMEOUT_KEY, "1"),
                Map.entry("web.http.port", String.valueOf(Ports.freePort())),
                Map.entry("web.http.path", "/api"),
                Map.entry("web.http.management.port", String.valueOf(Ports.freePort())),
                Map.entry("web.http.management.path", "/management"),
                Map.entry("web.http.management.auth.type", "tokenbased"),
                Map.entry("web.http.management.auth.key", "silent-database-test-key"),
                Map.entry("web.http.protocol.port", String.valueOf(Ports.freePort())),
                Map.entry("web.http.protocol.path", "/protocol"),
                Map.entry("web.http.control.port", String.valueOf(Ports.freePort())),
                Map.entry("web.http.control.path", "/control"),
                Map.entry("edc.participant.id", "silent-database-test"),
                Map.entry("edc.transfer.proxy.token.signer.privatekey.alias", "dataplane-token-signer"),
                Map.entry("edc.transfer.proxy.token.verifier.publickey.alias", "dataplane-token-verifier"),
                Map.entry("kakehashi.vault.path", tempVault()),
                Map.entry("kakehashi.vault.password", "silent-database-test-vault")));
        var runtime = new ConfiguredRuntime(config);
        // the runtime routes java.util.logging to its monitor (LibraryLoggingExtension); other tests in this JVM need it back
        var root = LogManager.getLogManager().getLogger("");
        var rootHandlers = root.getHandlers();
        var rootLevel = root.getLevel();

        Throwable failure;
        try {
            failure = assertTimeoutPreemptively(HANG, () -> catchFailure(() -> runtime.boot(false)));
        } finally {
            runtime.shutdown();
            for (var handler : root.getHandlers()) {
                root.removeHandler(handler);
            }
            for (var handler : rootHandlers) {
                root.addHandler(handler);
            }
            root.setLevel(rootLevel);
        }

        assertThat(messages(failure))
                .contains("127.0.0.1:" + silent.getLocalPort())
                .contains("'edc.datasource.default.url'")
                .contains("connect timeout 1 s")
                .doesNotContain("operator-user-7").doesNotContain("operator-secret-7");
    }

    private static Throwable catchFailure(Runnable action) {
        var thrown = new Throwable[1];
        assertThatThrownBy(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                thrown[0] = e;
                throw e;
            }
        }).isNotNull();
        return thrown[0];
    }

    private static String messages(Throwable failure) {
        var all = new StringBuilder();
        for (var t = failure; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        return all.toString();
    }

    private static String tempVault() {
        try {
            return java.nio.file.Files.createTempDirectory("kakehashi-silent-db").resolve("vault.p12").toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** EDC's runtime with the test's configuration, booted in the test's thread (so its failure is the test's). */
    private static final class ConfiguredRuntime extends BaseRuntime {
        ConfiguredRuntime(Config config) {
            super(new ConfigLocator(config));
        }
    }

    /** The class path's extensions, with one configuration source: the test's. */
    private record ConfigLocator(Config config) implements ServiceLocator {
        @Override
        @SuppressWarnings("unchecked")
        public <T> List<T> loadImplementors(Class<T> type, boolean required) {
            if (type == ConfigurationExtension.class) {
                return List.of((T) (ConfigurationExtension) () -> config);
            }
            return new ServiceLocatorImpl().loadImplementors(type, required);
        }

        @Override
        public <T> T loadSingletonImplementor(Class<T> type, boolean required) {
            return new ServiceLocatorImpl().loadSingletonImplementor(type, required);
        }
    }
}
