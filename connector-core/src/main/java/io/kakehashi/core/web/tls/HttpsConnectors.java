package io.kakehashi.core.web.tls;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Turns the plain HTTP connectors of EDC's Jetty into HTTPS connectors, context by context, and swaps their key
 * material when the keystore is replaced. Only TLS 1.2 and 1.3 are offered. Thread-safe: connectors are converted
 * while Jetty starts, key material may be swapped from another thread at any time after.
 */
public final class HttpsConnectors {

    static final String[] PROTOCOLS = { "TLSv1.3", "TLSv1.2" };

    private final Set<String> plainContexts;
    private final List<SslContextFactory.Server> factories = new CopyOnWriteArrayList<>();
    private volatile ServerKeystore keystore;
    private volatile char[] password;

    /**
     * @param keystore      the checked keystore
     * @param password      its password (kept in memory only, for Jetty's key manager)
     * @param plainContexts names of web contexts that stay plain HTTP
     */
    public HttpsConnectors(ServerKeystore keystore, char[] password, Set<String> plainContexts) {
        this.keystore = keystore;
        this.password = password.clone();
        this.plainContexts = Set.copyOf(plainContexts);
    }

    /** Whether the context of this name serves HTTPS. */
    public boolean isHttps(String contextName) {
        return !plainContexts.contains(contextName);
    }

    /**
     * Makes the connector speak TLS unless its context stays plain; call before the connector starts.
     */
    public void configure(ServerConnector connector) {
        if (!isHttps(connector.getName())) {
            return;
        }
        var plain = connector.getConnectionFactory(HttpConnectionFactory.class);
        var httpConfiguration = plain != null ? new HttpConfiguration(plain.getHttpConfiguration()) : new HttpConfiguration();
        httpConfiguration.setSecureScheme("https");
        httpConfiguration.setSecurePort(connector.getPort());
        httpConfiguration.addCustomizer(new SecureRequestCustomizer());
        var factory = newFactory();
        factories.add(factory);
        connector.clearConnectionFactories();
        connector.addConnectionFactory(new SslConnectionFactory(factory, HttpVersion.HTTP_1_1.asString()));
        connector.addConnectionFactory(new HttpConnectionFactory(httpConfiguration));
    }

    /**
     * Serves new connections with the key of the given keystore from now on; connections already open keep theirs.
     */
    public void replace(ServerKeystore replacement, char[] replacementPassword) throws Exception {
        keystore = replacement;
        password = replacementPassword.clone();
        for (var factory : factories) {
            factory.reload(f -> apply(f, replacement, replacementPassword));
        }
    }

    /**
     * The certificate the HTTPS connectors present to new connections (the replacement's once the keystore was
     * replaced); the connector's own components that call its ports on loopback pin it.
     */
    public X509Certificate certificate() {
        var current = keystore;
        try {
            return (X509Certificate) current.keyStore().getCertificate(current.alias());
        } catch (KeyStoreException e) {
            throw new IllegalStateException("the loaded keystore cannot be read", e);
        }
    }

    /** How many connectors serve HTTPS. */
    public int httpsConnectorCount() {
        return factories.size();
    }

    private SslContextFactory.Server newFactory() {
        var factory = new SslContextFactory.Server();
        factory.setIncludeProtocols(PROTOCOLS);
        apply(factory, keystore, password);
        return factory;
    }

    private static void apply(SslContextFactory factory, ServerKeystore keystore, char[] password) {
        factory.setKeyStore(keystore.keyStore());
        factory.setKeyStorePassword(new String(password));
        factory.setCertAlias(keystore.alias());
    }
}
