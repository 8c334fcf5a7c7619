package io.kakehashi.core.console;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;

/**
 * Trusts exactly one server certificate: the one this connector's own HTTPS ports present now. The console's
 * forwarder calls the connector's own management and auditor ports on a loopback address the certificate need not
 * name, so instead of the host name it checks that the server is this connector (the same certificate, compared as a
 * whole). Thread-safe.
 */
final class OwnCertificateTrust extends X509ExtendedTrustManager {

    private final Supplier<X509Certificate> own;

    OwnCertificateTrust(Supplier<X509Certificate> own) {
        this.own = own;
    }

    /** A TLS context (1.2/1.3) that trusts only the connector's own certificate. */
    static SSLContext context(Supplier<X509Certificate> own) {
        try {
            var context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{ new OwnCertificateTrust(own) }, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context for the console's forwarder", e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0 || !chain[0].equals(own.get())) {
            throw new CertificateException("the server is not this connector: its certificate differs from the one its own ports present");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the console's forwarder is a client only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
