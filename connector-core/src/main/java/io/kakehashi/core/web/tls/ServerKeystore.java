package io.kakehashi.core.web.tls;

import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.io.InputStream;
import java.net.IDN;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The operator's PKCS#12 keystore for the connector's HTTPS ports, loaded and checked: it must open with the given
 * password and hold a private key whose certificate covers the configured host name (a DNS or IP subject alternative
 * name; a wildcard covers one label) and is valid now. Immutable and thread-safe.
 *
 * @param keyStore the loaded keystore
 * @param alias    the alias of the key entry that covers the host
 */
public record ServerKeystore(KeyStore keyStore, String alias) {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    /**
     * Loads the keystore; the failure says what is wrong in words an operator can act on, never the password.
     */
    public static Result<ServerKeystore> load(Path path, char[] password, String hostName) {
        if (!Files.isRegularFile(path)) {
            return Result.failure("the keystore '%s' does not exist or is not a file".formatted(path));
        }
        if (!Files.isReadable(path)) {
            return Result.failure("the keystore '%s' cannot be read".formatted(path));
        }
        KeyStore keyStore;
        try (InputStream in = Files.newInputStream(path)) {
            keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password);
        } catch (IOException | GeneralSecurityException e) {
            return Result.failure("the keystore '%s' cannot be opened as PKCS#12 with the configured password".formatted(path));
        }
        try {
            var seen = new ArrayList<String>();
            for (var aliases = keyStore.aliases(); aliases.hasMoreElements(); ) {
                var alias = aliases.nextElement();
                if (!keyStore.isKeyEntry(alias) || !(keyStore.getCertificate(alias) instanceof X509Certificate certificate)) {
                    continue;
                }
                keyStore.getKey(alias, password);
                var names = subjectNames(certificate);
                seen.addAll(names);
                if (covers(names, hostName)) {
                    certificate.checkValidity();
                    return Result.success(new ServerKeystore(keyStore, alias));
                }
            }
            return Result.failure(seen.isEmpty()
                    ? "the keystore '%s' holds no private key with a certificate".formatted(path)
                    : "the keystore '%s' holds no key whose certificate names the host '%s' (it names %s)".formatted(path, hostName, seen));
        } catch (GeneralSecurityException e) {
            return Result.failure("the keystore '%s' holds a key that cannot be used: %s".formatted(path, e.getClass().getSimpleName()));
        }
    }

    /** The DNS names and IP addresses a certificate's subject alternative names list, lower case. */
    static List<String> subjectNames(X509Certificate certificate) throws CertificateParsingException {
        var names = new ArrayList<String>();
        Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
        if (alternatives == null) {
            return names;
        }
        for (var entry : alternatives) {
            var type = (Integer) entry.get(0);
            if ((type == SAN_DNS || type == SAN_IP) && entry.get(1) instanceof String name) {
                names.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** Whether one of the names covers the host: equal, or a {@code *.} wildcard standing for exactly one label. */
    static boolean covers(List<String> names, String hostName) {
        var host = IDN.toASCII(hostName.trim(), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        for (var name : names) {
            if (name.equals(host)) {
                return true;
            }
            if (name.startsWith("*.") && host.indexOf('.') > 0 && host.substring(host.indexOf('.')).equals(name.substring(1))) {
                return true;
            }
        }
        return false;
    }
}
