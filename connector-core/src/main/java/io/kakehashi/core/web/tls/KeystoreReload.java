package io.kakehashi.core.web.tls;

import org.eclipse.edc.spi.monitor.Monitor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Watches the keystore file for a replacement: when its modification time or size changed since the last look, the
 * new file is loaded with the same checks as at start and, when it passes, its key serves new connections; when it
 * fails, the previous key stays and the reason is logged. Called from one scheduler thread; not thread-safe itself.
 */
final class KeystoreReload {

    private final Path path;
    private final String hostName;
    private final Supplier<char[]> password;
    private final HttpsConnectors connectors;
    private final Monitor monitor;
    private String lastSeen;

    KeystoreReload(Path path, String hostName, Supplier<char[]> password, HttpsConnectors connectors, Monitor monitor) {
        this.path = path;
        this.hostName = hostName;
        this.password = password;
        this.connectors = connectors;
        this.monitor = monitor;
        this.lastSeen = stamp();
    }

    /** Looks at the file once; returns whether a new key was taken into use. */
    boolean check() {
        var now = stamp();
        if (now == null || now.equals(lastSeen)) {
            return false;
        }
        lastSeen = now;
        try {
            var secret = password.get();
            var loaded = ServerKeystore.load(path, secret, hostName);
            if (loaded.failed()) {
                monitor.warning("TLS: the replaced keystore is not used, the previous key stays: " + loaded.getFailureDetail());
                return false;
            }
            connectors.replace(loaded.getContent(), secret);
            monitor.info("TLS: the keystore '%s' was replaced; new connections get the key '%s'".formatted(path, loaded.getContent().alias()));
            return true;
        } catch (Exception e) {
            monitor.warning("TLS: the replaced keystore could not be applied, the previous key stays: " + e.getClass().getSimpleName());
            return false;
        }
    }

    private String stamp() {
        try {
            return Files.getLastModifiedTime(path) + "/" + Files.size(path);
        } catch (Exception e) {
            return null;
        }
    }
}
