package io.kakehashi.core.spi.tls;

import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS this connector uses on its outgoing connections to peers and to data sources: the JVM's trust store plus
 * the dataspace's CAs ({@code kakehashi.tls.trusted-cas}), TLS 1.2 or 1.3 only, refusals logged with the peer's host.
 * A client that does not go through the runtime's HTTP client (a JDK {@code HttpsURLConnection}, for example) takes
 * its socket factory from here, so every outgoing call trusts the same certificates.
 */
public interface PeerTls {

    /** Sockets that check a server's certificate against the connector's trust. */
    SSLSocketFactory socketFactory();
}
