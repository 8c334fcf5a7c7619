package io.kakehashi.policy.constraints;

import io.kakehashi.policy.spi.KakehashiPolicy;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.policy.model.AndConstraint;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.OrConstraint;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.PERMISSION;
import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.transfer;
import static org.assertj.core.api.Assertions.assertThat;

class TransferQuotaConstraintFunctionTest {

    private static final Instant NOW = Instant.parse("2026-11-23T03:00:00Z");

    private final TransferQuotaConstraintFunction<TransferProcessPolicyContext> maxBytes = new TransferQuotaConstraintFunction<>(TransferQuotaConstraintFunction.MAX_BYTES);
    private final TransferQuotaConstraintFunction<TransferProcessPolicyContext> maxMessages = new TransferQuotaConstraintFunction<>(TransferQuotaConstraintFunction.MAX_MESSAGES);

    @Test
    void evaluate_whenTheQuotaIsWellFormed_shouldAdmitTheTransferForTheDataPlaneToEnforce() {
        var context = transfer(NOW, NOW);

        assertThat(maxBytes.evaluate(Operator.LEQ, "1073741824", PERMISSION, context)).isTrue();
        assertThat(maxMessages.evaluate(Operator.LEQ, 1000L, PERMISSION, context)).isTrue();
        assertThat(context.getProblems()).isEmpty();
    }

    @Test
    void evaluate_whenTheQuotaIsMalformed_shouldDenyAndSayWhy() {
        var context = transfer(NOW, NOW);

        assertThat(maxBytes.evaluate(Operator.LEQ, "1 GB", PERMISSION, context)).isFalse();
        assertThat(context.getProblems()).containsExactly("transfer.maxBytes: '1 GB' is not a whole number");
    }

    @Test
    void validate_whenNotAPositiveWholeNumber_orNotLteq_shouldReject() {
        assertThat(maxMessages.validate(Operator.LEQ, 0L, PERMISSION).getFailureDetail()).isEqualTo("transfer.maxMessages: the limit must be at least 1, not 0");
        assertThat(maxMessages.validate(Operator.LEQ, 2.5, PERMISSION).getFailureDetail()).isEqualTo("transfer.maxMessages: '2.5' is not a whole number");
        assertThat(maxBytes.validate(Operator.GEQ, 10L, PERMISSION).getFailureDetail()).isEqualTo("transfer.maxBytes: operator 'gteq' is not allowed (lteq)");
        assertThat(maxBytes.validate(Operator.LEQ, "-5", PERMISSION).failed()).isTrue();
    }

    @Test
    void quotas_shouldBeTheSmallestFirmLimitsOfThePolicy() {
        var policy = Policy.Builder.newInstance()
                .permission(Permission.Builder.newInstance()
                        .constraint(quota(KakehashiPolicy.TRANSFER_MAX_BYTES, "2048"))
                        .constraint(AndConstraint.Builder.newInstance()
                                .constraint(quota(KakehashiPolicy.TRANSFER_MAX_BYTES, "1024")).build())
                        .constraint(OrConstraint.Builder.newInstance()
                                .constraint(quota(KakehashiPolicy.TRANSFER_MAX_MESSAGES, "1")).build())
                        .build())
                .build();

        var quotas = TransferQuotas.of(policy);

        assertThat(quotas.maxBytes()).hasValue(1024);
        assertThat(quotas.maxMessages()).isEmpty();
    }

    private static AtomicConstraint quota(String leftOperand, String limit) {
        return AtomicConstraint.Builder.newInstance()
                .leftExpression(new LiteralExpression(leftOperand)).operator(Operator.LEQ)
                .rightExpression(new LiteralExpression(limit)).build();
    }
}
