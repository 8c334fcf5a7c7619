package io.kakehashi.transfer.grpc.edc;

import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.transfer.grpc.meter.TransferLimits;
import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.AndConstraint;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.Constraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.OrConstraint;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AgreementQuotasTest {

    private static Constraint constraint(String left, Operator operator, Object right) {
        return AtomicConstraint.Builder.newInstance().leftExpression(new LiteralExpression(left)).operator(operator)
                .rightExpression(new LiteralExpression(right)).build();
    }

    private static Policy policy(Constraint... constraints) {
        var permission = Permission.Builder.newInstance().action(Action.Builder.newInstance().type("use").build());
        for (var constraint : constraints) {
            permission.constraint(constraint);
        }
        return Policy.Builder.newInstance().permission(permission.build()).build();
    }

    @Test
    void limitsOf_whenPolicyHasNoQuota_shouldBeUnlimited() {
        assertThat(AgreementQuotas.limitsOf(policy())).isEqualTo(TransferLimits.NONE);
    }

    @Test
    void limitsOf_whenBothQuotasSet_shouldReadNumbersAndJsonLdValues() {
        var limits = AgreementQuotas.limitsOf(policy(
                constraint(KakehashiPolicy.TRANSFER_MAX_BYTES, Operator.LEQ, "1048576"),
                constraint(KakehashiPolicy.TRANSFER_MAX_MESSAGES, Operator.EQ, Map.of("@value", 100))));

        assertThat(limits).isEqualTo(new TransferLimits(1048576, 100));
    }

    @Test
    void limitsOf_whenStrictlyLessThan_shouldAllowOneLess() {
        assertThat(AgreementQuotas.limitsOf(policy(constraint(KakehashiPolicy.TRANSFER_MAX_MESSAGES, Operator.LT, 10))).maxMessages())
                .isEqualTo(9);
    }

    @Test
    void limitsOf_whenSeveralQuotas_shouldTakeTheSmallestAndLookInsideAnd() {
        var and = AndConstraint.Builder.newInstance().constraints(List.of(
                constraint(KakehashiPolicy.TRANSFER_MAX_BYTES, Operator.LEQ, 500))).build();

        var limits = AgreementQuotas.limitsOf(policy(constraint(KakehashiPolicy.TRANSFER_MAX_BYTES, Operator.LEQ, 900), and));

        assertThat(limits.maxBytes()).isEqualTo(500);
    }

    @Test
    void limitsOf_whenQuotaIsConditionalOrNotANumber_shouldIgnoreIt() {
        var or = OrConstraint.Builder.newInstance().constraints(List.of(
                constraint(KakehashiPolicy.TRANSFER_MAX_BYTES, Operator.LEQ, 5))).build();

        var limits = AgreementQuotas.limitsOf(policy(or, constraint(KakehashiPolicy.TRANSFER_MAX_MESSAGES, Operator.LEQ, "many"),
                constraint(KakehashiPolicy.TRANSFER_MAX_MESSAGES, Operator.GEQ, 3)));

        assertThat(limits).isEqualTo(TransferLimits.NONE);
    }
}
