package io.kakehashi.policy.constraints.ai;

import io.kakehashi.policy.spi.ComputeJob;
import io.kakehashi.policy.spi.ComputePolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class ComputeJobCountConstraintFunctionTest {

    private static final Permission PERMISSION = Permission.Builder.newInstance().build();
    private static final ContractAgreement AGREEMENT = ContractAgreement.Builder.newInstance()
            .id("agreement-1").agreementId("agreement-1").providerId("jp-machine-tool-maker").consumerId("ai-vendor")
            .assetId("machine-operation-data").contractSigningDate(0).policy(Policy.Builder.newInstance().build()).build();

    private final InMemoryComputeJobCounter counter = new InMemoryComputeJobCounter();
    private final ComputeJobCountConstraintFunction function = new ComputeJobCountConstraintFunction(counter);

    private static ComputePolicyContext job() {
        return new ComputePolicyContext(new ParticipantAgent("ai-vendor", Map.of(), Map.of()), AGREEMENT, Instant.now(),
                new ComputeJob("sql", false, OptionalLong.of(10), OptionalDouble.empty(), 0));
    }

    @Test
    void evaluate_whenUnderTheLimit_shouldPermit() {
        counter.jobAdmitted("agreement-1");

        assertThat(function.evaluate(Operator.LEQ, "2", PERMISSION, job())).isTrue();
    }

    @Test
    void evaluate_whenTheLimitIsUsedUp_shouldDenyAndSayWhy() {
        counter.jobAdmitted("agreement-1");
        counter.jobAdmitted("agreement-1");
        var context = job();

        assertThat(function.evaluate(Operator.LEQ, 2L, PERMISSION, context)).isFalse();
        assertThat(context.getProblems()).containsExactly("compute.jobCount: 2 compute jobs used of 2 allowed under agreement agreement-1");
    }

    @Test
    void evaluate_withLessThan_shouldExcludeTheLimit() {
        counter.jobAdmitted("agreement-1");

        assertThat(function.evaluate(Operator.LT, 3L, PERMISSION, job())).isTrue();
        counter.jobAdmitted("agreement-1");
        assertThat(function.evaluate(Operator.LT, 3L, PERMISSION, job())).isFalse();
    }

    @Test
    void counter_shouldCountPerAgreement() {
        counter.jobAdmitted("agreement-2");

        assertThat(counter.jobsSoFar(AGREEMENT)).isZero();
    }

    @Test
    void validate_whenNotAPositiveWholeNumber_orAWrongOperator_shouldReject() {
        assertThat(function.validate(Operator.LEQ, "0", PERMISSION).getFailureDetail()).isEqualTo("compute.jobCount: the limit must be at least 1, not 0");
        assertThat(function.validate(Operator.EQ, "3", PERMISSION).getFailureDetail()).isEqualTo("compute.jobCount: operator 'eq' is not allowed (lt, lteq)");
        assertThat(function.validate(Operator.LEQ, "3", PERMISSION).succeeded()).isTrue();
    }
}
