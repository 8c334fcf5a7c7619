package io.kakehashi.ai.extension;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.ai.spi.InMemoryJsonMapper;
import jakarta.json.Json;
import org.eclipse.edc.jsonld.TitaniumJsonLd;
import org.eclipse.edc.runtime.core.validator.JsonObjectValidatorRegistryImpl;
import org.eclipse.edc.spi.monitor.ConsoleMonitor;
import org.eclipse.edc.transform.TypeTransformerRegistryImpl;
import org.eclipse.edc.validator.spi.Violation;
import org.eclipse.edc.web.spi.exception.InvalidRequestException;
import org.eclipse.edc.web.spi.exception.ValidationFailureException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComputeRequestReaderTest {

    /** A reader over EDC's own JSON-LD processor, validator registry and transformer registry, the cancel registered. */
    static ComputeRequestReader reader() {
        var reader = new ComputeRequestReader(new TitaniumJsonLd(new ConsoleMonitor()), new JsonObjectValidatorRegistryImpl(),
                new TypeTransformerRegistryImpl());
        reader.register(Cancellation.SHAPE, Cancellation.class, Cancellation::parse);
        return reader;
    }

    private final ComputeRequestReader reader = reader();

    private Cancellation read(String body) {
        return reader.read(body, ComputeJsonLd.CANCELLATION, Cancellation.class);
    }

    @Nested
    class JsonLdForm {

        @Test
        void read_withTheComputeVocabulary_shouldGiveTheRequest() {
            assertThat(read("""
                    { "@context": { "@vocab": "https://w3id.org/kakehashi/ns#" }, "@type": "ComputeJobCancellation", "reason": "late" }
                    """)).isEqualTo(new Cancellation("late"));
        }

        @Test
        void read_withPrefixedTerms_shouldGiveTheSameRequest() {
            assertThat(read("""
                    { "@context": { "kh": "https://w3id.org/kakehashi/ns#" }, "@type": "kh:ComputeJobCancellation", "kh:reason": "late" }
                    """)).isEqualTo(new Cancellation("late"));
        }

        @Test
        void read_ofAnotherType_shouldBe400NamingTheType() {
            assertThatThrownBy(() -> read("""
                    { "@context": { "@vocab": "https://w3id.org/kakehashi/ns#" }, "@type": "Asset", "reason": "late" }
                    """)).isInstanceOfSatisfying(ValidationFailureException.class, e -> assertThat(e.getViolations())
                    .extracting(Violation::path).containsExactly("@type"))
                    .hasMessageContaining("must be kh:ComputeJobCancellation, not kh:Asset");
        }

        @Test
        void read_withoutAType_shouldBe400() {
            assertThatThrownBy(() -> read("""
                    { "@context": { "@vocab": "https://w3id.org/kakehashi/ns#" }, "reason": "late" }
                    """)).isInstanceOf(ValidationFailureException.class).hasMessageContaining("@type: must be kh:ComputeJobCancellation");
        }

        @Test
        void read_withATermOutsideTheNamespace_shouldBe400NamingIt() {
            assertThatThrownBy(() -> read("""
                    { "@context": { "@vocab": "https://w3id.org/kakehashi/ns#", "why": "https://example.org/why" },
                      "@type": "ComputeJobCancellation", "why": "late" }
                    """)).isInstanceOfSatisfying(ValidationFailureException.class, e -> assertThat(e.getViolations())
                    .extracting(Violation::path).containsExactly("https://example.org/why"));
        }

        @Test
        void read_withTwoReasons_shouldBe400() {
            assertThatThrownBy(() -> read("""
                    { "@context": { "@vocab": "https://w3id.org/kakehashi/ns#" }, "@type": "ComputeJobCancellation", "reason": ["a", "b"] }
                    """)).isInstanceOf(ValidationFailureException.class).hasMessageContaining("reason: one value expected, not 2");
        }

        @Test
        void read_whoseMeaningIsWrong_shouldBe400FromTheOneReader() {
            assertThatThrownBy(() -> read("""
                    { "@context": { "@vocab": "https://w3id.org/kakehashi/ns#" }, "@type": "ComputeJobCancellation", "reason": "%s" }
                    """.formatted("x".repeat(Cancellation.MAX_REASON + 1))))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("reason: a text of 1 to 500 characters");
        }

        @Test
        void read_withAContextThatDoesNotExpand_shouldBe400() {
            assertThatThrownBy(() -> read("""
                    { "@context": "https://w3id.org/kakehashi/no-such-context", "@type": "ComputeJobCancellation" }
                    """)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("not JSON-LD that expands");
            assertThatThrownBy(() -> read("""
                    { "@context": 42, "@type": "ComputeJobCancellation" }
                    """)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("not JSON-LD that expands");
        }

        @Test
        void read_withoutTheComputeContext_shouldBe400SayingHowToNameTheTerms() {
            assertThatThrownBy(() -> read("{ \"@context\": {}, \"@type\": \"ComputeJobCancellation\", \"reason\": \"late\" }"))
                    .isInstanceOfSatisfying(ValidationFailureException.class, e -> assertThat(e.getViolations()).extracting(Violation::path)
                            .containsExactlyInAnyOrder("@type", ComputeJsonLd.EDC + "reason"))
                    .hasMessageContaining("name Kakehashi's terms with \"@vocab\": \"https://w3id.org/kakehashi/ns#\"");
        }
    }

    @Nested
    class PlainForm {

        @Test
        void read_withoutAContext_shouldBeTheAlias() {
            assertThat(read("{\"reason\": \"late\"}")).isEqualTo(new Cancellation("late"));
        }

        @Test
        void read_ofBrokenJson_shouldBe400() {
            assertThatThrownBy(() -> read("{\"reason\": ")).isInstanceOf(InvalidRequestException.class).hasMessage("the body is not JSON");
            assertThatThrownBy(() -> read("{\"@context\": ")).isInstanceOf(InvalidRequestException.class).hasMessage("the body is not JSON");
        }

        @Test
        void readOptional_ofNoBody_shouldBeTheDefault() {
            assertThat(reader.readOptional(" ", ComputeJsonLd.CANCELLATION, Cancellation.class, Cancellation.NONE)).isSameAs(Cancellation.NONE);
        }
    }

    @Test
    void register_twice_shouldBeRefused() {
        assertThatThrownBy(() -> reader.register(Cancellation.SHAPE, Cancellation.class, Cancellation::parse))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anAnswer_shouldExpandToKakehashiTermsWithItsTypeAndId() throws Exception {
        ObjectMapper mapper = InMemoryJsonMapper.create();
        var now = Instant.parse("2026-12-07T10:00:00Z").toString();
        var view = new ComputeJobsApiController.JobView(ComputeJsonLd.CONTEXT, ComputeJsonLd.COMPUTE_JOB, "job-1", "job-1", "agreement-1",
                "asset-1", "ai-vendor", "sql", "RUNNING", 0.5, null, "ab".repeat(32), null, null, true, now, now);
        var json = mapper.writeValueAsString(view);
        assertThat(mapper.readTree(json).fieldNames().next()).isEqualTo("@context");

        var expanded = new TitaniumJsonLd(new ConsoleMonitor()).expand(Json.createReader(new StringReader(json)).readObject()).getContent();

        assertThat(expanded.getString("@id")).isEqualTo("job-1");
        assertThat(expanded.getJsonArray("@type").getString(0)).isEqualTo(ComputeJsonLd.KH + "ComputeJob");
        assertThat(expanded.getJsonArray(ComputeJsonLd.KH + "state").getJsonObject(0).getString("@value")).isEqualTo("RUNNING");
        assertThat(expanded.getJsonArray(ComputeJsonLd.KH + "agreementId").getJsonObject(0).getString("@value")).isEqualTo("agreement-1");
    }
}
