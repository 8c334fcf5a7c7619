package io.kakehashi.core.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.core.web.guard.RequestBodyDigest;
import org.eclipse.edc.jwt.validation.jti.JtiValidationEntry;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.types.domain.message.ProcessRemoteMessage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A peer's DSP message sent again with the token it was first sent with. EDC 0.15.1's dispatcher sends a request again
 * after an I/O error or a 5xx — a read timeout included, when this connector's answer came later than the sender
 * waited — as the same request, so with the same self-issued token. The DCP verifier recorded the token's {@code jti}
 * the first time and refuses the copy as a replay ({@code 401}), which is final: the peer's negotiation or transfer
 * ends although this connector applied the message (samples/replicas, defect 1).
 * <p>
 * A repeat is the same token carrying the same message: the token's {@code jti} with the message's type, its
 * {@code @id} and the SHA-256 of the request body ({@link RequestBodyDigest}: byte for byte the same request). Before a message is handled, a mark of that pair is stored in the store the verifier records tokens in
 * (shared by the replicas of a connector on PostgreSQL), expiring with the token; finding the mark already there
 * means the message comes again with its first token, and the token's {@code jti} is forgotten, so that the token is
 * verified in full once more (signature, expiry, audience, the presentation) instead of being refused as a replay.
 * The same token with another message — another id, another type, or the same id in another body — is still a
 * replay. EDC applies a
 * message {@code @id} once (a repeat is answered as a success, nothing changed); a repeated initial contract request
 * is answered with the negotiation it created ({@link OrderedContractNegotiationProtocolService}). A mark whose
 * message was refused as unauthorized is removed, so that a flood of refused tokens leaves nothing behind.
 * <p>
 * Thread-safe when the store is.
 */
public final class RepeatedMessages {

    /** What marks differ from the {@code jti} entries of the verifier by. */
    static final String MARK_PREFIX = "kakehashi-repeat:";

    /** The longest a mark is kept, whatever the token's {@code exp} says (the mark is stored before verification). */
    static final Duration MARK_MAX_LIFETIME = Duration.ofMinutes(10);

    /** Does nothing: a connector without a {@code jti} store refuses no repeat. */
    public static final RepeatedMessages NONE = new RepeatedMessages(null, null, Clock.systemUTC());

    private final JtiValidationStore seenTokens;
    private final ObjectMapper mapper;
    private final Clock clock;

    public RepeatedMessages(JtiValidationStore seenTokens, ObjectMapper mapper) {
        this(seenTokens, mapper, Clock.systemUTC());
    }

    RepeatedMessages(JtiValidationStore seenTokens, ObjectMapper mapper, Clock clock) {
        this.seenTokens = seenTokens;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * Handles a message with its repeat recognised: marked before, its token's {@code jti} forgotten when the mark was
     * there already, the mark removed when the handling refused the token.
     */
    public <T> ServiceResult<T> handle(ProcessRemoteMessage message, TokenRepresentation token, Supplier<ServiceResult<T>> handling) {
        var mark = mark(message, token);
        if (mark.isEmpty()) {
            return handling.get();
        }
        if (mark.get().repeat()) {
            seenTokens.deleteById(mark.get().jti());
        }
        var result = handling.get();
        if (result.failed() && result.reason() == ServiceFailure.Reason.UNAUTHORIZED && !mark.get().repeat()) {
            seenTokens.deleteById(mark.get().id());
        }
        return result;
    }

    private Optional<Mark> mark(ProcessRemoteMessage message, TokenRepresentation token) {
        if (seenTokens == null || token == null || message.getId() == null) {
            return Optional.empty();
        }
        return claims(token.getToken()).map(claims -> {
            var id = markId(claims.jti(), message);
            var now = clock.millis();
            var latest = now + MARK_MAX_LIFETIME.toMillis();
            var expires = claims.expiresAt() == null ? latest : Math.max(now, Math.min(latest, claims.expiresAt()));
            var stored = seenTokens.storeEntry(new JtiValidationEntry(id, expires));
            return new Mark(claims.jti(), id, stored.failed());
        });
    }

    /** The mark of a token's {@code jti} with a message: its type, {@code @id} and the request body's digest, hashed. */
    static String markId(String jti, ProcessRemoteMessage message) {
        try {
            var body = RequestBodyDigest.current().orElse("");
            var digest = MessageDigest.getInstance("SHA-256").digest((jti + "\n" + message.getClass().getName() + "\n" + message.getId() + "\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            return MARK_PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The {@code jti} and {@code exp} (milliseconds) of a compact JWS, read without verifying it. */
    private Optional<Claims> claims(String token) {
        return RetriedTokenRelease.claims(token, mapper).flatMap(claims -> RetriedTokenRelease.jti(claims).map(jti -> {
            var exp = claims.path("exp");
            return new Claims(jti, exp.canConvertToLong() ? exp.asLong() * 1000 : null);
        }));
    }

    private record Claims(String jti, Long expiresAt) {
    }

    private record Mark(String jti, String id, boolean repeat) {
    }
}
