package io.kakehashi.core.web.guard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.core.protocol.PendingTransitions;
import io.kakehashi.core.protocol.RepeatedMessages;
import org.eclipse.edc.connector.controlplane.transfer.spi.types.protocol.TransferCompletionMessage;
import org.eclipse.edc.jwt.validation.jti.JtiValidationEntry;
import org.eclipse.edc.spi.iam.TokenRepresentation;
import org.eclipse.edc.spi.result.ServiceFailure;
import org.eclipse.edc.spi.result.ServiceResult;
import org.eclipse.edc.token.InMemoryJtiValidationStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A repeat must be the same request byte for byte: the same token with the same message id in another body is a
 * replay. The body's digest is the one {@link JsonBodyInterceptor} keeps for the request.
 */
class RequestBodyDigestTest {

    private final InMemoryJtiValidationStore seen = new InMemoryJtiValidationStore();
    private final RepeatedMessages repeats = new RepeatedMessages(seen, new ObjectMapper(), new PendingTransitions(Duration.ofMillis(200)));
    private final String jti = UUID.randomUUID().toString();
    private final TransferCompletionMessage message = TransferCompletionMessage.Builder.newInstance().id("message-1")
            .providerPid("provider-1").consumerPid("consumer-1").processId("provider-1")
            .protocol("dataspace-protocol-http:2025-1").counterPartyId("did:web:peer.example").build();

    @AfterEach
    void forget() {
        RequestBodyDigest.clear();
    }

    private TokenRepresentation token() {
        var encoder = Base64.getUrlEncoder().withoutPadding();
        var claims = "{\"jti\":\"%s\",\"exp\":%d}".formatted(jti, Instant.now().plusSeconds(300).getEpochSecond());
        return TokenRepresentation.Builder.newInstance()
                .token(encoder.encodeToString("{}".getBytes(StandardCharsets.UTF_8)) + "." + encoder.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln")
                .build();
    }

    private Supplier<ServiceResult<String>> verifying() {
        return () -> seen.storeEntry(new JtiValidationEntry(jti, Instant.now().plusSeconds(300).toEpochMilli())).succeeded()
                ? ServiceResult.success("applied")
                : ServiceResult.unauthorized("replay");
    }

    @Test
    void theSameMessageIdInAnotherBody_isAReplay_andTheSameBodyAgainIsARepeat() {
        RequestBodyDigest.of("{\"@id\":\"message-1\",\"reason\":\"first\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(repeats.handle(message, token(), verifying()).succeeded()).isTrue();

        RequestBodyDigest.of("{\"@id\":\"message-1\",\"reason\":\"changed\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(repeats.handle(message, token(), verifying()).reason()).isEqualTo(ServiceFailure.Reason.UNAUTHORIZED);

        RequestBodyDigest.of("{\"@id\":\"message-1\",\"reason\":\"first\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(repeats.handle(message, token(), verifying()).succeeded()).isTrue();
    }

    @Test
    void theSameBodyReadAgain_isARepeatEvenWhenEachReadingGotAnotherMessageId() {
        // a DSP 2025-1 message may carry no @id; EDC then makes one up at each reading of the body
        var body = "{\"@type\":\"ContractAgreementMessage\",\"consumerPid\":\"consumer-1\"}".getBytes(StandardCharsets.UTF_8);
        RequestBodyDigest.of(body);
        assertThat(repeats.handle(withId("read-1"), token(), verifying()).succeeded()).isTrue();

        RequestBodyDigest.of(body);
        var again = repeats.handle(withId("read-2"), token(), verifying());

        assertThat(again.succeeded()).as("%s", again.getFailureMessages()).isTrue();
    }

    private static TransferCompletionMessage withId(String id) {
        return TransferCompletionMessage.Builder.newInstance().id(id).providerPid("provider-1").consumerPid("consumer-1").processId("provider-1")
                .protocol("dataspace-protocol-http:2025-1").counterPartyId("did:web:peer.example").build();
    }
}
