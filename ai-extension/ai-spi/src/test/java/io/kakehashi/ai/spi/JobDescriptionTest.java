package io.kakehashi.ai.spi;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JobDescriptionTest {

    @Test
    void descriptionHash_shouldNotDependOnParameterOrder() {
        var a = JobDescription.of(JobType.SQL, Map.of("query", "SELECT 1", "note", "x"));
        var b = JobDescription.of(JobType.SQL, new java.util.LinkedHashMap<>(Map.of("note", "x", "query", "SELECT 1")));

        assertThat(a.descriptionHash()).isEqualTo(b.descriptionHash()).hasSize(64);
    }

    @Test
    void descriptionHash_whenAnythingDiffers_shouldDiffer() {
        var base = JobDescription.of(JobType.SQL, Map.of("query", "SELECT 1"));

        assertThat(JobDescription.of(JobType.TRAINING, Map.of("query", "SELECT 1")).descriptionHash()).isNotEqualTo(base.descriptionHash());
        assertThat(JobDescription.of(JobType.SQL, Map.of("query", "SELECT 2")).descriptionHash()).isNotEqualTo(base.descriptionHash());
        // the length prefixes keep a name/value split from colliding
        assertThat(JobDescription.of(JobType.SQL, Map.of("ab", "c")).descriptionHash())
                .isNotEqualTo(JobDescription.of(JobType.SQL, Map.of("a", "bc")).descriptionHash());
    }

    @Test
    void modelHash_shouldBeTheSha256OfTheModel() {
        var description = new JobDescription(JobType.EVALUATION, Map.of(), new byte[]{1, 2, 3});

        assertThat(description.modelHash()).contains("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81");
        assertThat(JobDescription.of(JobType.SQL, Map.of()).modelHash()).isEmpty();
    }
}
