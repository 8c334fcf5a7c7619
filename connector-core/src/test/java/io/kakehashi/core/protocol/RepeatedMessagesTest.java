package io.kakehashi.core.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferCompletionMessage;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferTerminationMessage;
import org.eclipse.edc.jwt.validation.jti.JtiValidationEntry;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.spi.types.domain.message.ProcessRemoteMessage;
import org.eclipse.edc.token.InMemoryJtiValidationStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A DSP message sent again with the token it was first sent with is verified again; the same token with another
 * message is still a replay. The handling stands in for EDC's: it verifies the token as the DCP verifier does, by
 * recording its {@code jti} and refusing one already recorded.
 */
class RepeatedMessagesTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private final InMemoryJtiValidationStore seen = new InMemoryJtiValidationStore();
    private final RepeatedMessages repeats = new RepeatedMessages(seen, new ObjectMapper(), new PendingTransitions(Duration.ofMillis(200)),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private RepeatedMessages waitingWith(MessageOrderFixtures.ScriptedWait wait) {
        return new RepeatedMessages(seen, new ObjectMapper(), wait.transitions(Duration.ofSeconds(5)), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** A first sending as it stands while it is handled: marked, its token verified (jti recorded), not yet done. */
    private void firstSendingBeingHandled(String jti, ProcessRemoteMessage message) {
        seen.storeEntry(new JtiValidationEntry(RepeatedMessages.markId(jti, message), NOW.plusSeconds(300).toEpochMilli()));
        seen.storeEntry(new JtiValidationEntry(jti, NOW.plusSeconds(300).toEpochMilli()));
    }

    private static TokenRepresentation token(String jti, Instant expires) {
        var encoder = Base64.getUrlEncoder().withoutPadding();
        var header = encoder.encodeToString("{\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8));
        var claims = encoder.encodeToString("{\"iss\":\"did:web:peer.example\",\"jti\":\"%s\",\"exp\":%d}"
                .formatted(jti, expires.getEpochSecond()).getBytes(StandardCharsets.UTF_8));
        return TokenRepresentation.Builder.newInstance().token("Bearer " + header + "." + claims + ".c2lnbmF0dXJl").build();
    }

    private static ProcessRemoteMessage completion(String messageId) {
        return TransferCompletionMessage.Builder.newInstance().id(messageId).providerPid("provider-1").consumerPid("consumer-1")
                .processId("provider-1").protocol(MessageOrderFixtures.PROTOCOL).counterPartyId(MessageOrderFixtures.PEER).build();
    }

    /** As the DCP verifier: a token verifies once; its jti recorded, a second use is a replay. */
    private Supplier<ServiceResult<String>> verifying(String jti) {
        return () -> seen.storeEntry(new JtiValidationEntry(jti, NOW.plusSeconds(300).toEpochMilli())).succeeded()
                ? ServiceResult.success("applied")
                : ServiceResult.unauthorized("token jti '%s' was already used (replay)".formatted(jti));
    }

    @Test
    void sameTokenWithTheSameMessage_isVerifiedAgain() {
        var jti = UUID.randomUUID().toString();
        var token = token(jti, NOW.plusSeconds(300));
        var message = completion("message-1");

        assertThat(repeats.handle(message, token, verifying(jti)).succeeded()).isTrue();
        var again = repeats.handle(message, token, verifying(jti));

        assertThat(again.succeeded()).as("%s", again.getFailureMessages()).isTrue();
    }

    @Test
    void withoutRecognisingRepeats_theSameTokenIsRefusedAsAReplay() {
        var jti = UUID.randomUUID().toString();

        assertThat(RepeatedMessages.NONE.handle(completion("message-1"), token(jti, NOW.plusSeconds(300)), verifying(jti)).succeeded()).isTrue();
        var again = RepeatedMessages.NONE.handle(completion("message-1"), token(jti, NOW.plusSeconds(300)), verifying(jti));

        assertThat(again.reason()).isEqualTo(ServiceFailure.Reason.UNAUTHORIZED);
    }

    @Test
    void sameTokenWithAnotherMessage_isStillAReplay() {
        var jti = UUID.randomUUID().toString();
        var token = token(jti, NOW.plusSeconds(300));

        assertThat(repeats.handle(completion("message-1"), token, verifying(jti)).succeeded()).isTrue();
        var other = repeats.handle(completion("message-2"), token, verifying(jti));

        assertThat(other.reason()).isEqualTo(ServiceFailure.Reason.UNAUTHORIZED);
        assertThat(other.getFailureDetail()).contains("replay");
    }

    @Test
    void sameTokenWithTheSameIdInAnotherMessageType_isStillAReplay() {
        var jti = UUID.randomUUID().toString();
        var token = token(jti, NOW.plusSeconds(300));
        var termination = TransferTerminationMessage.Builder.newInstance().id("message-1").providerPid("provider-1").consumerPid("consumer-1")
                .processId("provider-1").protocol(MessageOrderFixtures.PROTOCOL).counterPartyId(MessageOrderFixtures.PEER).build();

        assertThat(repeats.handle(completion("message-1"), token, verifying(jti)).succeeded()).isTrue();

        assertThat(repeats.handle(termination, token, verifying(jti)).reason()).isEqualTo(ServiceFailure.Reason.UNAUTHORIZED);
    }

    @Test
    void aRefusedToken_leavesNoMarkBehind() {
        var jti = UUID.randomUUID().toString();
        var token = token(jti, NOW.plusSeconds(300));
        var message = completion("message-1");

        var refused = repeats.handle(message, token, () -> ServiceResult.unauthorized("signature does not verify"));

        assertThat(refused.reason()).isEqualTo(ServiceFailure.Reason.UNAUTHORIZED);
        assertThat(seen.findById(RepeatedMessages.markId(jti, message), false)).isNull();
        // nothing of the refused one is taken for a first sending: the next use of the token is verified as new
        assertThat(repeats.handle(message, token, verifying(jti)).succeeded()).isTrue();
        assertThat(repeats.handle(completion("message-2"), token, verifying(jti)).reason()).isEqualTo(ServiceFailure.Reason.UNAUTHORIZED);
    }

    @Test
    void aMark_expiresWithItsTokenAndNeverLaterThanTenMinutes() {
        var shortLived = UUID.randomUUID().toString();
        var longLived = UUID.randomUUID().toString();

        repeats.handle(completion("message-1"), token(shortLived, NOW.plusSeconds(120)), verifying(shortLived));
        repeats.handle(completion("message-2"), token(longLived, NOW.plusSeconds(365L * 24 * 3600)), verifying(longLived));

        var marks = new java.util.ArrayList<Long>();
        for (var jti : new String[] { shortLived, longLived }) {
            for (var id : new String[] { "message-1", "message-2" }) {
                var entry = seen.findById(RepeatedMessages.markId(jti, completion(id)), false);
                if (entry != null) {
                    marks.add(entry.expirationTimestamp());
                }
            }
        }
        assertThat(marks).containsExactlyInAnyOrder(NOW.plusSeconds(120).toEpochMilli(),
                NOW.plus(RepeatedMessages.MARK_MAX_LIFETIME).toEpochMilli());
    }

    @Test
    void aRepeatArrivingWhileItsFirstSendingIsHandled_waitsForItAndIsVerifiedAgain() {
        var jti = UUID.randomUUID().toString();
        var message = completion("message-1");
        firstSendingBeingHandled(jti, message);
        var done = "kakehashi-repeat-done:" + RepeatedMessages.markId(jti, message).substring(RepeatedMessages.MARK_PREFIX.length());
        var wait = MessageOrderFixtures.ScriptedWait.savingOnFirstPause(
                () -> seen.storeEntry(new JtiValidationEntry(done, NOW.plusSeconds(300).toEpochMilli())));

        var repeat = waitingWith(wait).handle(message, token(jti, NOW.plusSeconds(300)), verifying(jti));

        assertThat(repeat.succeeded()).as("%s", repeat.getFailureMessages()).isTrue();
        assertThat(wait.pauses()).isOne();
    }

    @Test
    void aRepeatWhoseFirstSendingIsStillHandledAfterTheWait_isAskedToRetry() {
        var jti = UUID.randomUUID().toString();
        var message = completion("message-1");
        firstSendingBeingHandled(jti, message);
        var wait = MessageOrderFixtures.ScriptedWait.neverSaved(new MessageOrderFixtures.MutableClock());

        assertThatThrownBy(() -> waitingWith(wait).handle(message, token(jti, NOW.plusSeconds(300)), verifying(jti)))
                .isInstanceOf(PeerRetryLater.class)
                .hasMessageContaining("still handled");
        assertThat(seen.findById(jti, false)).as("the first sending's token stays recorded").isNotNull();
    }

    @Test
    void twoRepeatsAtOnce_areHandledOneAfterTheOtherAndBothVerified() throws Exception {
        var jti = UUID.randomUUID().toString();
        var message = completion("message-1");
        var repeats = new RepeatedMessages(seen, new ObjectMapper(), new PendingTransitions(Duration.ofSeconds(5)), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(repeats.handle(message, token(jti, NOW.plusSeconds(300)), verifying(jti)).succeeded()).isTrue();
        // each repeat's verification takes a while: without one-at-a-time, both forget the jti before either records it again
        Supplier<ServiceResult<String>> slowVerifying = () -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return verifying(jti).get();
        };
        var start = new java.util.concurrent.CountDownLatch(1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var results = new java.util.ArrayList<java.util.concurrent.Future<ServiceResult<String>>>();
            for (var i = 0; i < 2; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return repeats.handle(message, token(jti, NOW.plusSeconds(300)), slowVerifying);
                }));
            }
            start.countDown();
            for (var result : results) {
                var answered = result.get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(answered.succeeded()).as("%s", answered.getFailureMessages()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
