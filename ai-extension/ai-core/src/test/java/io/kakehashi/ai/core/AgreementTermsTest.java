package io.kakehashi.ai.core;

import io.kakehashi.policy.spi.KakehashiPolicy;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Policy;
import org.junit.jupiter.api.Test;

import static io.kakehashi.ai.core.ComputeTestFixtures.constraint;
import static io.kakehashi.ai.core.ComputeTestFixtures.useOnlyIf;
import static org.assertj.core.api.Assertions.assertThat;

class AgreementTermsTest {

    @Test
    void of_whenThePolicySetsTheAiTerms_shouldReadThem() {
        var terms = AgreementTerms.of(useOnlyIf(
                constraint(KakehashiPolicy.AI_MIN_AGGREGATION, Operator.GEQ, "10"),
                constraint(KakehashiPolicy.AI_DP_EPSILON, Operator.LEQ, 2.5),
                constraint(KakehashiPolicy.AI_MODEL_EXPORT, Operator.EQ, "true")));

        assertThat(terms.minAggregation()).hasValue(10);
        assertThat(terms.dpBudget()).hasValue(2.5);
        assertThat(terms.modelExport()).contains(true);
    }

    @Test
    void of_whenSetTwice_shouldTakeTheStrictest() {
        var terms = AgreementTerms.of(useOnlyIf(
                constraint(KakehashiPolicy.AI_MIN_AGGREGATION, Operator.GEQ, 5L),
                constraint(KakehashiPolicy.AI_MIN_AGGREGATION, Operator.GEQ, "20"),
                constraint(KakehashiPolicy.AI_DP_EPSILON, Operator.LEQ, "3"),
                constraint(KakehashiPolicy.AI_DP_EPSILON, Operator.LEQ, "1"),
                constraint(KakehashiPolicy.AI_MODEL_EXPORT, Operator.EQ, true),
                constraint(KakehashiPolicy.AI_MODEL_EXPORT, Operator.EQ, false)));

        assertThat(terms.minAggregation()).hasValue(20);
        assertThat(terms.dpBudget()).hasValue(1.0);
        assertThat(terms.modelExport()).contains(false);
    }

    @Test
    void of_whenThePolicySaysNothing_shouldBeEmpty() {
        var terms = AgreementTerms.of(Policy.Builder.newInstance().build());

        assertThat(terms.minAggregation()).isEmpty();
        assertThat(terms.dpBudget()).isEmpty();
        assertThat(terms.modelExport()).isEmpty();
    }
}
