package io.kakehashi.policy.decisionlog.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.policy.decisionlog.HashChain;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.policy.model.Policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * SHA-256 digests of what a decision was made on: the policy, as EDC serialises it, in RFC 8785 canonical form; and
 * the claims the evaluation had about the counterparty (never the claims themselves: the log keeps only the digest).
 * Thread-safe.
 */
final class DecisionDigests {

    /** JWT's registered claims (RFC 7519) and DCP's access-token claim: about the token, not the peer. */
    static final Set<String> TOKEN_CLAIMS = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "token");

    private final ObjectMapper mapper;

    /**
     * @param mapper EDC's mapper, which knows how to serialise policies
     */
    DecisionDigests(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    String policy(Policy policy) {
        return digest(policy);
    }

    /**
     * Digest of what the evaluation could know about the counterparty: its identity and its claims, without the
     * claims that only describe the token that carried them (issued-at, expiry, token id…), so that two requests of
     * the same peer with the same verified claims have the same digest.
     */
    String claims(ParticipantAgent agent) {
        var claims = new TreeMap<String, Object>();
        if (agent.getClaims() != null) {
            agent.getClaims().forEach((key, value) -> {
                if (!TOKEN_CLAIMS.contains(key)) {
                    claims.put(key, value);
                }
            });
        }
        var digested = new LinkedHashMap<String, Object>();
        digested.put("participantId", agent.getIdentity());
        digested.put("claims", claims);
        return digest(digested);
    }

    private String digest(Object value) {
        try {
            return HashChain.digest(mapper.valueToTree(value));
        } catch (RuntimeException notCanonicalizable) {
            // a value JCS cannot express (e.g. a number beyond 2^53): fall back to the mapper's own text, still stable
            try {
                return sha256(mapper.writeValueAsString(value));
            } catch (Exception unserialisable) {
                return sha256(String.valueOf(value));
            }
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
