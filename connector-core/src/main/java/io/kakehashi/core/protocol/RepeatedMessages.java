package io.kakehashi.core.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.core.web.guard.RequestBodyDigest;
import org.eclipse.edc.jwt.validation.jti.JtiValidationEntry;
import org.eclipse.edc.jwt.validation.jti.JtiValidationStore;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
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
 * A repeat is the same token carrying the same request: the token's {@code jti} with the message's type and the
 * SHA-256 of the request body ({@link RequestBodyDigest}) — not the message's {@code @id}, which a DSP 2025-1 message
 * may leave out and EDC then makes up afresh at each reading. Before a message is handled, a mark of
 * that pair is stored in the store the verifier records tokens in (shared by the replicas of a connector on
 * PostgreSQL), expiring with the token, and a second mark once it was handled. Finding the first mark already there
 * means the request comes again; once its first sending is handled, the token's {@code jti} is forgotten, so that the
 * token is verified in full once more (signature, expiry, audience, the presentation) instead of being refused as a
 * replay. The same token with another request — another id, another type, or the same id in another body — is still
 * a replay. EDC applies a message {@code @id} once (a repeat is answered as a success, nothing changed); a repeated
 * initial contract request is answered with the negotiation it created ({@link OrderedContractNegotiationProtocolService}).
 * A mark whose request was refused as unauthorized is removed, so that refused tokens leave nothing behind.
 * <p>
 * Thread-safe when the store is.
 */
public final class RepeatedMessages {

    /** What marks differ from the {@code jti} entries of the verifier by. */
    static final String MARK_PREFIX = "kakehashi-repeat:";

    /** What the mark of a first sending that was handled differs by. */
    static final String DONE_PREFIX = "kakehashi-repeat-done:";

    /** What the mark of a repeat being handled differs by: repeats of one request are handled one at a time. */
    static final String CLAIM_PREFIX = "kakehashi-repeat-claim:";

    /** The longest a mark is kept, whatever the token's {@code exp} says (the mark is stored before verification). */
    static final Duration MARK_MAX_LIFETIME = Duration.ofMinutes(10);

    private static final Object[] MARK_LOCKS = java.util.stream.IntStream.range(0, 64).mapToObj(i -> new Object()).toArray();

    /** Does nothing: a connector without a {@code jti} store refuses no repeat. */
    public static final RepeatedMessages NONE = new RepeatedMessages(null, null, null, Clock.systemUTC());

    private final JtiValidationStore seenTokens;
    private final ObjectMapper mapper;
    private final PendingTransitions firstHandled;
    private final Clock clock;

    /**
     * @param firstHandled how long a repeat waits for its first sending to be handled, when it arrives while that one
     *                     still is (the sender's read timed out first); it is answered 503 to retry after that
     */
    public RepeatedMessages(JtiValidationStore seenTokens, ObjectMapper mapper, PendingTransitions firstHandled) {
        this(seenTokens, mapper, firstHandled, Clock.systemUTC());
    }

    RepeatedMessages(JtiValidationStore seenTokens, ObjectMapper mapper, PendingTransitions firstHandled, Clock clock) {
        this.seenTokens = seenTokens;
        this.mapper = mapper;
        this.firstHandled = firstHandled;
        this.clock = clock;
    }

    /**
     * Handles a message with its repeat recognised. The first sending is marked before it is handled and marked done
     * after (unless it was refused as unauthorized: then its mark is removed). A repeat waits until its first sending
     * is done — it may arrive while that one is still handled, when the sender's read timed out first — and then,
     * one repeat of the request at a time (a sender whose reads keep timing out sends several), has its token's
     * {@code jti} forgotten, so that the verifier takes the token again; still not done, or another repeat still
     * handled, after the wait, it is answered {@link PeerRetryLater}.
     */
    public <T> ServiceResult<T> handle(ProcessRemoteMessage message, TokenRepresentation token, Supplier<ServiceResult<T>> handling) {
        var claims = seenTokens == null || token == null || (message.getId() == null && RequestBodyDigest.current().isEmpty())
                ? Optional.<Claims>empty() : claims(token.getToken());
        if (claims.isEmpty()) {
            return handling.get();
        }
        var jti = claims.get().jti();
        var begun = markId(jti, message);
        var done = DONE_PREFIX + begun.substring(MARK_PREFIX.length());
        var expires = expiry(claims.get());
        var first = storedFirst(begun, expires);
        String claim = null;
        if (!first) {
            var type = message.getClass().getSimpleName();
            var firstMark = firstHandled.awaitLeft(() -> seenTokens.findById(done, false) != null ? FirstSending.DONE
                    : seenTokens.findById(begun, false) != null ? FirstSending.BEING_HANDLED : FirstSending.REFUSED, FirstSending.BEING_HANDLED::equals);
            switch (firstMark) {
                case DONE -> {
                    // one repeat at a time: each forgets the jti that the verification of the one before recorded
                    claim = CLAIM_PREFIX + begun.substring(MARK_PREFIX.length());
                    var claimId = claim;
                    if (!firstHandled.awaitLeft(() -> storedFirst(claimId, expires), claimed -> !claimed)) {
                        throw new PeerRetryLater(type, "was sent again while another repeat of it is still handled", PendingTransitions.POLL);
                    }
                    seenTokens.deleteById(jti);
                }
                case REFUSED -> first = storedFirst(begun, expires);
                default -> throw new PeerRetryLater(type, "was sent again while its first sending is still handled", PendingTransitions.POLL);
            }
        }
        ServiceResult<T> result = null;
        try {
            result = handling.get();
            return result;
        } finally {
            if (first && result != null && result.failed() && result.reason() == ServiceFailure.Reason.UNAUTHORIZED) {
                seenTokens.deleteById(begun);
            } else {
                // a second "done" (a repeat's) is refused by the store and changes nothing
                storedFirst(done, expires);
            }
            if (claim != null) {
                seenTokens.deleteById(claim);
            }
        }
    }

    /**
     * Stores a mark; false when it is there already. EDC's SQL store checks and inserts in two statements, so two
     * sendings at once can meet the table's key instead of the check: that too means the mark is there. EDC's
     * in-memory store checks and puts without a lock, so two repeats at once could both store the same claim (and the
     * second be refused as a replay once the first had its token recorded again); marks of one id are therefore stored
     * one at a time within this runtime.
     */
    private boolean storedFirst(String id, long expires) {
        try {
            synchronized (MARK_LOCKS[Math.floorMod(id.hashCode(), MARK_LOCKS.length)]) {
                return seenTokens.storeEntry(new JtiValidationEntry(id, expires)).succeeded();
            }
        } catch (EdcPersistenceException e) {
            if (seenTokens.findById(id, false) != null) {
                return false;
            }
            throw e;
        }
    }

    private long expiry(Claims claims) {
        var now = clock.millis();
        var latest = now + MARK_MAX_LIFETIME.toMillis();
        return claims.expiresAt() == null ? latest : Math.max(now, Math.min(latest, claims.expiresAt()));
    }

    /**
     * The mark of a token's {@code jti} with a request: the message type and the body's digest ({@link RequestBodyDigest});
     * without a body digest (a call from within the connector), the message's {@code @id}.
     */
    static String markId(String jti, ProcessRemoteMessage message) {
        try {
            // the body's digest when the request had one: a DSP 2025-1 message may carry no @id, and EDC then gives
            // each reading of it a random one, so the id alone would never match a repeat
            var request = RequestBodyDigest.current().orElseGet(() -> "id " + message.getId());
            var digest = MessageDigest.getInstance("SHA-256").digest((jti + "\n" + message.getClass().getName() + "\n" + request)
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

    /** Where the first sending of a repeated message is. */
    private enum FirstSending { BEING_HANDLED, DONE, REFUSED }
}
