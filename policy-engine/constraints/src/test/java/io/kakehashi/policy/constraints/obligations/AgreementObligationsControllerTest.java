package io.kakehashi.policy.constraints.obligations;

import io.kakehashi.policy.constraints.DeletionDeadlines;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.Duty;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.web.spi.exception.ObjectNotFoundException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgreementObligationsControllerTest {

    private static final Instant SIGNED = Instant.parse("2026-11-01T00:00:00Z");

    private static ContractAgreement agreementWithDeletionIn(String window) {
        var duty = Duty.Builder.newInstance().action(Action.Builder.newInstance().type(DeletionDeadlines.ODRL_DELETE).build())
                .constraint(AtomicConstraint.Builder.newInstance().leftExpression(new LiteralExpression("http://www.w3.org/ns/odrl/2/elapsedTime"))
                        .operator(Operator.LEQ).rightExpression(new LiteralExpression(window)).build())
                .build();
        var policy = Policy.Builder.newInstance()
                .permission(Permission.Builder.newInstance().action(Action.Builder.newInstance().type("http://www.w3.org/ns/odrl/2/use").build()).duty(duty).build())
                .build();
        return ContractAgreement.Builder.newInstance().id("agreement-1").agreementId("shared-1").providerId("jp-machine-tool-maker").consumerId("ai-vendor")
                .assetId("machine-operation-data").contractSigningDate(SIGNED.getEpochSecond()).policy(policy).build();
    }

    @Test
    void obligations_whenTheAgreementHasADeletionDuty_shouldGiveItsDeadline() {
        var controller = new AgreementObligationsController(Map.of("agreement-1", agreementWithDeletionIn("P90D"))::get);

        var obligations = controller.obligations("agreement-1");

        assertThat(obligations.id()).isEqualTo("agreement-1");
        assertThat(obligations.agreementId()).isEqualTo("shared-1");
        assertThat(obligations.contractSigningDate()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(obligations.obligations()).containsExactly(
                new AgreementObligationsController.Obligation(DeletionDeadlines.ODRL_DELETE, "PT2160H", "2027-01-30T00:00:00Z"));
    }

    @Test
    void obligations_whenTheAgreementIsUnknown_shouldBeNotFound() {
        var controller = new AgreementObligationsController(id -> null);

        assertThatThrownBy(() -> controller.obligations("nope")).isInstanceOf(ObjectNotFoundException.class);
    }
}
