package io.kakehashi.core.web.tls;

import io.kakehashi.core.spi.tls.PeerTls;
import okhttp3.ConnectionSpec;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.TlsVersion;
import org.eclipse.edc.runtime.core.http.OkHttpClientConfiguration;
import org.eclipse.edc.runtime.core.http.OkHttpClientFactory;
import org.eclipse.edc.runtime.metamodel.annotation.Configuration;
import org.eclipse.edc.runtime.metamodel.annotation.Extension;
import org.eclipse.edc.runtime.metamodel.annotation.Inject;
import org.eclipse.edc.runtime.metamodel.annotation.Provider;
import org.eclipse.edc.runtime.metamodel.annotation.Provides;
import org.eclipse.edc.runtime.metamodel.annotation.Setting;
import org.eclipse.edc.spi.EdcException;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.eclipse.edc.spi.system.ServiceExtensionContext;

import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.HostnameVerifier;

/**
 * Decides which peers' certificates the connector accepts on its outgoing HTTPS calls (DSP, DID documents,
 * credential services, status lists, HTTP data sources): the JVM's trust store plus the dataspace CA bundle of
 * {@value #TRUSTED_CAS}, TLS 1.2 or 1.3 only, the host name checked. It builds EDC's own OkHttp client from EDC's
 * settings ({@code edc.http.client.*}) and gives it this trust, so every EDC and Kakehashi piece that uses the
 * runtime's {@link OkHttpClient} or {@code EdcHttpClient} inherits it. Refusals are logged with the peer's host.
 */
@Extension(PeerTrustExtension.NAME)
@Provides({DataspaceTrust.class, PeerTls.class})
public class PeerTrustExtension implements ServiceExtension {

    public static final String NAME = "Kakehashi peer trust";
    public static final String TRUSTED_CAS = "kakehashi.tls.trusted-cas";

    @Setting(key = TRUSTED_CAS, required = false,
            description = "PEM file of the dataspace's CA certificates, trusted in addition to the JVM's trust store (which stays as it is)")
    private String trustedCas;

    @Configuration
    private OkHttpClientConfiguration clientConfiguration;
    @Inject(required = false)
    private EventListener eventListener;
    @Inject
    private Monitor monitor;

    private DataspaceTrust trust;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initialize(ServiceExtensionContext context) {
        var bundle = trustedCas == null || trustedCas.isBlank() ? null : Path.of(trustedCas.trim());
        trust = DataspaceTrust.create(bundle, monitor)
                .orElseThrow(failure -> new EdcException("Invalid setting '%s': %s".formatted(TRUSTED_CAS, failure.getFailureDetail())));
        context.registerService(DataspaceTrust.class, trust);
        context.registerService(PeerTls.class, trust);
        if (bundle != null) {
            monitor.info("TLS: peers' certificates are checked against the JVM's trust store and %d dataspace CA(s) from %s"
                    .formatted(trust.dataspaceCaCount(), bundle));
        }
    }

    /** The runtime's HTTP client: EDC's, with the dataspace trust and TLS 1.2/1.3 only. */
    @Provider
    public OkHttpClient okHttpClient(ServiceExtensionContext context) {
        var base = OkHttpClientFactory.create(clientConfiguration, eventListener, context.getMonitor());
        return withTrust(base, trust, monitor);
    }

    static OkHttpClient withTrust(OkHttpClient base, DataspaceTrust trust, Monitor monitor) {
        var tls = new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS).tlsVersions(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2).build();
        var hostnames = base.hostnameVerifier();
        HostnameVerifier checked = (host, session) -> {
            if (hostnames.verify(host, session)) {
                return true;
            }
            monitor.warning("TLS: the certificate %s presented does not name that host; the call is refused".formatted(host));
            return false;
        };
        return base.newBuilder()
                .sslSocketFactory(trust.sslContext().getSocketFactory(), trust.trustManager())
                .hostnameVerifier(checked)
                .connectionSpecs(List.of(tls, ConnectionSpec.CLEARTEXT))
                .build();
    }
}
