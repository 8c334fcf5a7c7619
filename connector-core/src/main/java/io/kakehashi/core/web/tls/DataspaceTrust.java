package io.kakehashi.core.web.tls;

import io.kakehashi.core.spi.tls.PeerTls;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Which certificates of other parties this connector accepts: those that chain to the JVM's own trust store (the
 * JDK's {@code cacerts}, or whatever {@code javax.net.ssl.trustStore} names) plus those that chain to the optional
 * dataspace CA bundle the operator configures. The bundle adds to the system trust, it never replaces it. Every
 * refusal is logged with the peer's host and the certificate's subject. Immutable and thread-safe.
 */
public final class DataspaceTrust implements PeerTls {

    private final X509ExtendedTrustManager trustManager;
    private final SSLContext sslContext;
    private final int dataspaceCas;

    private DataspaceTrust(X509ExtendedTrustManager trustManager, SSLContext sslContext, int dataspaceCas) {
        this.trustManager = trustManager;
        this.sslContext = sslContext;
        this.dataspaceCas = dataspaceCas;
    }

    /**
     * The system trust plus the CAs of the PEM bundle at {@code bundle} (none when null); the failure names what is
     * wrong with the bundle.
     */
    public static Result<DataspaceTrust> create(Path bundle, Monitor monitor) {
        try {
            var anchors = new ArrayList<X509Certificate>(Arrays.asList(systemTrustManager().getAcceptedIssuers()));
            var added = 0;
            if (bundle != null) {
                var bundled = readBundle(bundle);
                if (bundled.failed()) {
                    return Result.failure(bundled.getFailureDetail());
                }
                anchors.addAll(bundled.getContent());
                added = bundled.getContent().size();
            }
            var store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                store.setCertificateEntry("anchor-" + i, anchors.get(i));
            }
            var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            var delegate = Arrays.stream(factory.getTrustManagers())
                    .filter(X509ExtendedTrustManager.class::isInstance).map(X509ExtendedTrustManager.class::cast)
                    .findFirst().orElseThrow(() -> new GeneralSecurityException("no X.509 trust manager"));
            var logging = new LoggingTrustManager(delegate, monitor);
            var context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[]{ logging }, null);
            return Result.success(new DataspaceTrust(logging, context, added));
        } catch (GeneralSecurityException | IOException e) {
            return Result.failure("the trust store cannot be built: " + e.getMessage());
        }
    }

    /** Reads the X.509 certificates of a PEM file; it must hold at least one. */
    static Result<List<X509Certificate>> readBundle(Path bundle) {
        if (!Files.isRegularFile(bundle) || !Files.isReadable(bundle)) {
            return Result.failure("the CA bundle '%s' does not exist or cannot be read".formatted(bundle));
        }
        try (InputStream in = Files.newInputStream(bundle)) {
            var certificates = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                return Result.failure("the CA bundle '%s' holds no certificate".formatted(bundle));
            }
            for (var certificate : certificates) {
                if (certificate.getBasicConstraints() < 0) {
                    return Result.failure("the CA bundle '%s' holds a certificate that is no CA: %s"
                            .formatted(bundle, certificate.getSubjectX500Principal().getName()));
                }
            }
            return Result.success(certificates);
        } catch (IOException | CertificateException e) {
            return Result.failure("the CA bundle '%s' is not a PEM file of X.509 certificates".formatted(bundle));
        }
    }

    private static X509TrustManager systemTrustManager() throws GeneralSecurityException {
        var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        return Arrays.stream(factory.getTrustManagers())
                .filter(X509TrustManager.class::isInstance).map(X509TrustManager.class::cast)
                .findFirst().orElseThrow(() -> new GeneralSecurityException("the JVM has no X.509 trust manager"));
    }

    public X509TrustManager trustManager() {
        return trustManager;
    }

    public SSLContext sslContext() {
        return sslContext;
    }

    @Override
    public SSLSocketFactory socketFactory() {
        return sslContext.getSocketFactory();
    }

    /** How many CAs the dataspace bundle added to the system trust. */
    public int dataspaceCaCount() {
        return dataspaceCas;
    }

    /** Delegates every decision and logs each refusal once, where it happens. */
    private static final class LoggingTrustManager extends X509ExtendedTrustManager {

        private final X509ExtendedTrustManager delegate;
        private final Monitor monitor;

        LoggingTrustManager(X509ExtendedTrustManager delegate, Monitor monitor) {
            this.delegate = delegate;
            this.monitor = monitor;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                throw refused(chain, socket instanceof SSLSocket ssl && ssl.getHandshakeSession() != null ? ssl.getHandshakeSession().getPeerHost() : null, e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                throw refused(chain, engine != null ? engine.getPeerHost() : null, e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw refused(chain, null, e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }

        private CertificateException refused(X509Certificate[] chain, String host, CertificateException e) {
            var subject = chain != null && chain.length > 0 ? chain[0].getSubjectX500Principal().getName() : "(no certificate)";
            var issuer = chain != null && chain.length > 0 ? chain[0].getIssuerX500Principal().getName() : "(none)";
            monitor.warning("TLS: the certificate of %s (subject '%s', issuer '%s') is not trusted: %s; add its CA to kakehashi.tls.trusted-cas if it belongs to the dataspace"
                    .formatted(host != null ? host : "a peer", subject, issuer, e.getMessage()));
            return e;
        }
    }
}
