package io.kakehashi.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.spi.iam.TokenRepresentation;

import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Lets a peer retry a DSP message with the token it was sent with. When a message is answered {@link PeerRetryLater}
 * after its sender was checked, that check recorded the token's {@code jti} as used (the DCP verifier records it once
 * a token verified); EDC 0.15.1's dispatcher retries the same request, so the same token, which would then be refused
 * as a replay ({@code 401}, final: the peer's process ends). Forgetting the {@code jti} of exactly that token, which
 * changed nothing here, lets the retry be verified like the first attempt. A token without a readable {@code jti} is
 * left alone. Thread-safe when the store is.
 */
public final class RetriedTokenRelease implements Consumer<TokenRepresentation> {

    private final JtiValidationStore seenTokens;
    private final ObjectMapper mapper;

    public RetriedTokenRelease(JtiValidationStore seenTokens, ObjectMapper mapper) {
        this.seenTokens = seenTokens;
        this.mapper = mapper;
    }

    @Override
    public void accept(TokenRepresentation token) {
        if (token != null) {
            jti(token.getToken(), mapper).ifPresent(seenTokens::deleteById);
        }
    }

    /** The {@code jti} claim of a compact JWS ({@code Bearer } prefix allowed), if it has one. */
    static Optional<String> jti(String token, ObjectMapper mapper) {
        return claims(token, mapper).flatMap(RetriedTokenRelease::jti);
    }

    /** The {@code jti} claim among a token's claims, if it has one. */
    static Optional<String> jti(JsonNode claims) {
        var jti = claims.path("jti");
        return jti.isTextual() && !jti.asText().isBlank() ? Optional.of(jti.asText()) : Optional.empty();
    }

    /** The claims of a compact JWS ({@code Bearer } prefix allowed), read without verifying it; empty when unreadable. */
    static Optional<JsonNode> claims(String token, ObjectMapper mapper) {
        if (token == null) {
            return Optional.empty();
        }
        var compact = token.startsWith("Bearer ") ? token.substring("Bearer ".length()) : token;
        var parts = compact.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(mapper.readTree(Base64.getUrlDecoder().decode(parts[1])));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
