package io.kakehashi.identity.dcp;

import io.kakehashi.identity.credentials.CredentialTestFixtures.Authority;
import io.kakehashi.identity.credentials.Jws;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** VC Data Model 1.1 JWT credentials (the {@code vc} claim), as DCP 1.0 issuers and the DCP TCK make them. */
final class Vc11TestFixtures {

    private Vc11TestFixtures() {
    }

    /** A VC 1.1 JWT of {@code type} about {@code subject}, issued and signed by {@code authority}, valid for an hour. */
    static String vc11(Authority authority, String type, Map<String, Object> subject) {
        var vc = new LinkedHashMap<String, Object>();
        vc.put("@context", List.of("https://www.w3.org/2018/credentials/v1"));
        vc.put("id", "urn:uuid:" + UUID.randomUUID());
        vc.put("type", List.of("VerifiableCredential", type));
        vc.put("issuer", authority.did.id());
        vc.put("issuanceDate", Instant.now().minusSeconds(60).toString());
        vc.put("credentialSubject", subject);
        var payload = new LinkedHashMap<String, Object>();
        payload.put("iss", authority.did.id());
        payload.put("sub", subject.get("id"));
        payload.put("nbf", Instant.now().minusSeconds(60).getEpochSecond());
        payload.put("exp", Instant.now().plusSeconds(3600).getEpochSecond());
        payload.put("vc", vc);
        return Jws.sign(payload, authority.did.signingKey(), authority.did.methodId(authority.did.signingKey()), "JWT").getContent();
    }

    /** A DCP CredentialMessage delivering {@code credentials} ({@code type, format, jwt} triples). */
    static Map<String, Object> credentialMessage(String status, List<List<String>> credentials) {
        var message = new LinkedHashMap<String, Object>();
        message.put("@context", List.of(Dcp.DCP_CONTEXT));
        message.put("type", "CredentialMessage");
        message.put("issuerPid", "issuer-" + UUID.randomUUID());
        message.put("holderPid", "holder-" + UUID.randomUUID());
        message.put("status", status);
        message.put("credentials", credentials.stream()
                .map(c -> Map.of("credentialType", c.get(0), "format", c.get(1), "payload", c.get(2))).toList());
        return message;
    }
}
