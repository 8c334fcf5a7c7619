package io.kakehashi.transfer.grpc.tls;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.security.Vault;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS identity of a connector's gRPC endpoint: an EC P-256 key and a self-signed certificate made with
 * Bouncy Castle at first start and kept in EDC's vault (PEM under {@code <alias>-key} and {@code <alias>-cert}),
 * so a restart keeps the same certificate and its fingerprint, which peers pin. Immutable and thread-safe.
 */
public final class GrpcTlsIdentity {

    private static final char[] IN_MEMORY_PASSWORD = new char[0];
    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    private GrpcTlsIdentity(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
    }

    /** Loads the identity kept under {@code alias}, or makes one for {@code host} and keeps it. */
    public static Result<GrpcTlsIdentity> loadOrCreate(Vault vault, String alias, String host, Clock clock) {
        var keyPem = vault.resolveSecret(alias + "-key");
        var certPem = vault.resolveSecret(alias + "-cert");
        try {
            if (keyPem != null && certPem != null) {
                return Result.success(new GrpcTlsIdentity(readKey(keyPem), readCertificate(certPem)));
            }
            var identity = create(host, clock);
            var certificatePem = pem(identity.certificate);
            var stored = vault.storeSecret(alias + "-key", pkcs8Pem(identity.privateKey))
                    .compose(v -> vault.storeSecret(alias + "-cert", certificatePem));
            return stored.succeeded() ? Result.success(identity)
                    : Result.failure("cannot keep the gRPC TLS identity in the vault: " + stored.getFailureDetail());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return Result.failure("cannot load or make the gRPC TLS identity: " + e.getMessage());
        }
    }

    /** A fresh identity (not kept anywhere). */
    public static GrpcTlsIdentity create(String host, Clock clock) throws GeneralSecurityException, IOException {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        var keyPair = generator.generateKeyPair();
        var name = new X500Name("CN=kakehashi-grpc-" + host);
        var now = clock.instant();
        var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(3650))), name, keyPair.getPublic());
        var san = isIpAddress(host) ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host);
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
        try {
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate());
            var certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new GrpcTlsIdentity(keyPair.getPrivate(), certificate);
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** The SHA-256 of the certificate's DER encoding, lower-case hex: what peers pin. */
    public String fingerprint() {
        return fingerprintOf(certificate);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Server credentials presenting this identity. */
    public ServerCredentials serverCredentials() {
        try {
            var keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("grpc", privateKey, IN_MEMORY_PASSWORD, new X509Certificate[]{ certificate });
            var factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore, IN_MEMORY_PASSWORD);
            return TlsServerCredentials.newBuilder().keyManager(factory.getKeyManagers()).build();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the gRPC server credentials", e);
        }
    }

    /** Channel credentials that accept only a server whose certificate has {@code fingerprint} (pinning). */
    public static ChannelCredentials pinnedChannelCredentials(String fingerprint) {
        return TlsChannelCredentials.newBuilder().trustManager(new PinningTrustManager(fingerprint)).build();
    }

    static String fingerprintOf(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isIpAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static String pem(Object object) throws IOException {
        var out = new StringWriter();
        try (var writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static String pkcs8Pem(PrivateKey key) {
        // PKCS#8 as JCA encodes it, so that the key reads back with the JCA alone
        var base64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
    }

    private static PrivateKey readKey(String pem) throws GeneralSecurityException {
        var base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
        var der = java.util.Base64.getDecoder().decode(base64);
        return java.security.KeyFactory.getInstance("EC").generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
    }

    private static X509Certificate readCertificate(String pem) throws IOException, CertificateException {
        try (var parser = new PEMParser(new StringReader(pem))) {
            return new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) parser.readObject());
        }
    }

    /** Trusts exactly one certificate, by fingerprint; nothing else is consulted. */
    private static final class PinningTrustManager implements X509TrustManager {
        private final String fingerprint;

        private PinningTrustManager(String fingerprint) {
            this.fingerprint = fingerprint.toLowerCase(Locale.ROOT);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0 || !fingerprintOf(chain[0]).equals(fingerprint)) {
                throw new CertificateException("the peer's certificate does not match the pinned fingerprint");
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
