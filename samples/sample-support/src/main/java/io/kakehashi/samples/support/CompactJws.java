package io.kakehashi.samples.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;

/**
 * What a sample reads of the compact JWS its connectors exchange (deletion receipts, withdrawal notices, provenance
 * statements): the header, the payload, and whether the signature verifies with the key the signer's {@code did:web}
 * document publishes under the header's {@code kid}. The connectors decide for themselves; a sample checks on its own
 * what they decided. Stateless and thread-safe.
 */
public final class CompactJws {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private CompactJws() {
    }

    public static JsonNode header(String jws) {
        return read(parse(jws).getHeader().toString());
    }

    public static JsonNode payload(String jws) {
        return read(parse(jws).getPayload().toString());
    }

    /**
     * Whether {@code jws} is signed by {@code did}: its {@code kid} is one of the document's verification methods and
     * the signature verifies with that method's EC public key. The document is fetched over plain HTTP on loopback,
     * as the samples' connectors serve it.
     */
    public static boolean signedBy(String jws, String did) {
        var parsed = parse(jws);
        var kid = parsed.getHeader().getKeyID();
        if (kid == null || !kid.startsWith(did + "#")) {
            return false;
        }
        for (var method : didDocument(did).path("verificationMethod")) {
            var id = method.path("id").asText();
            if (kid.equals(id) || (id.startsWith("#") && kid.equals(did + id))) {
                try {
                    var key = JWK.parse(method.path("publicKeyJwk").toString());
                    return key instanceof ECKey ec && parsed.verify(new ECDSAVerifier(ec.toECPublicKey()));
                } catch (ParseException | JOSEException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /** The {@code did:web} document of {@code did} (served over plain HTTP, as on the samples' loopback). */
    public static JsonNode didDocument(String did) {
        var url = "http://" + did.substring("did:web:".length()).replace(":", "/").replace("%3A", ":") + "/did.json";
        try {
            var response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the DID document of " + did + " answered " + response.statusCode());
            }
            return read(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching the DID document of " + did, e);
        }
    }

    private static JWSObject parse(String jws) {
        try {
            return JWSObject.parse(jws);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a compact JWS: " + e.getMessage(), e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return ManagementClient.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
