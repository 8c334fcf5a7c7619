package io.kakehashi.core.spi.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpProblemTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void of_shouldTakeItsTypeFromTheStatus() {
        assertThat(HttpProblem.badRequest("x").type()).isEqualTo("BadRequest");
        assertThat(HttpProblem.forbidden("x").type()).isEqualTo("Forbidden");
        assertThat(HttpProblem.conflict("x").type()).isEqualTo("ObjectConflict");
        assertThat(HttpProblem.tooLarge("x").type()).isEqualTo("PayloadTooLarge");
        assertThat(HttpProblem.unavailable("x").status()).isEqualTo(503);
        assertThat(HttpProblem.of(404, "x").type()).isEqualTo("ObjectNotFound");
    }

    @Test
    void body_shouldBeOneErrorInEdcsShape_withTheMessageEscaped() throws Exception {
        var body = MAPPER.readTree(HttpProblem.badRequest("a \"quoted\" <b> word").body());

        assertThat(body.isArray()).isTrue();
        assertThat(body).hasSize(1);
        assertThat(body.get(0).get("message").asText()).isEqualTo("a \"quoted\" <b> word");
        assertThat(body.get(0).get("type").asText()).isEqualTo("BadRequest");
    }

    @Test
    void message_whenLongOrMissing_shouldBeCutOrSaid() {
        assertThat(HttpProblem.badRequest("m".repeat(1_000)).message()).hasSize(HttpProblem.MAX_MESSAGE + 1).endsWith("…");
        assertThat(HttpProblem.badRequest(null).message()).isEqualTo("the request is refused");
    }

    @Test
    void new_whenTheStatusIsNoError_shouldThrow() {
        assertThatThrownBy(() -> HttpProblem.of(200, "fine")).isInstanceOf(IllegalArgumentException.class);
    }
}
