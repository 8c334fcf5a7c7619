package io.kakehashi.transfer.grpc;

import io.kakehashi.transfer.grpc.auth.TransferClaims;
import io.kakehashi.transfer.grpc.auth.TransferTokenVerifier;
import org.eclipse.edc.spi.result.Result;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Test-only signed tokens (HMAC-SHA256 over transfer|agreement|expiry) with a random key per instance, and revocation. */
public final class TestTokens implements TransferTokenVerifier {

    private final byte[] key = new byte[32];
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();

    public TestTokens() {
        new SecureRandom().nextBytes(key);
    }

    public String issue(String transferId, String agreementId, Instant expiresAt) {
        var body = transferId + "|" + agreementId + "|" + expiresAt.getEpochSecond();
        return b64(body.getBytes(StandardCharsets.UTF_8)) + "." + b64(mac(body));
    }

    public String issue(String transferId) {
        return issue(transferId, "agreement-of-" + transferId, Instant.now().plusSeconds(600));
    }

    public void revoke(String token) {
        revoked.add(token);
    }

    @Override
    public Result<TransferClaims> verify(String token) {
        var dot = token.indexOf('.');
        if (dot < 0) {
            return Result.failure("malformed");
        }
        try {
            var body = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            var signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(signature, mac(body))) {
                return Result.failure("bad signature");
            }
            if (revoked.contains(token)) {
                return Result.failure("revoked");
            }
            var parts = body.split("\\|");
            return Result.success(new TransferClaims(parts[0], parts[1], Instant.ofEpochSecond(Long.parseLong(parts[2]))));
        } catch (IllegalArgumentException e) {
            return Result.failure("malformed");
        }
    }

    private byte[] mac(String body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
