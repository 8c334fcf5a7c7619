package io.kakehashi.deletion;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.kakehashi.policy.constraints.DeletionDeadlines;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.Duty;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

final class DeletionTestFixtures {

    static final String PROVIDER = "did:web:127.0.0.1%3A8001:maker";
    static final String CONSUMER = "did:web:127.0.0.1%3A8002:integrator";
    static final String STRANGER = "did:web:127.0.0.1%3A8003:third";
    static final Instant SIGNED = Instant.parse("2026-12-01T00:00:00Z");

    private DeletionTestFixtures() {
    }

    /** An agreement between PROVIDER and CONSUMER that obliges deletion within {@code window} of signing. */
    static ContractAgreement agreement(String id, String window) {
        var duty = Duty.Builder.newInstance().action(Action.Builder.newInstance().type(DeletionDeadlines.ODRL_DELETE).build())
                .constraint(AtomicConstraint.Builder.newInstance().leftExpression(new LiteralExpression("http://www.w3.org/ns/odrl/2/elapsedTime"))
                        .operator(Operator.LEQ).rightExpression(new LiteralExpression(window)).build())
                .build();
        var policy = Policy.Builder.newInstance()
                .permission(Permission.Builder.newInstance().action(Action.Builder.newInstance().type("http://www.w3.org/ns/odrl/2/use").build()).duty(duty).build())
                .build();
        return ContractAgreement.Builder.newInstance().id(id).agreementId("shared-" + id).providerId(PROVIDER).consumerId(CONSUMER)
                .assetId("operation-data").contractSigningDate(SIGNED.getEpochSecond()).policy(policy).build();
    }

    /** As {@link #agreement}, and the permission also carries {@code leftOperand eq value}. */
    static ContractAgreement agreement(String id, String window, String leftOperand, String value) {
        var plain = agreement(id, window);
        var permission = plain.getPolicy().getPermissions().get(0);
        var withConstraint = Permission.Builder.newInstance().action(permission.getAction()).duties(permission.getDuties())
                .constraint(AtomicConstraint.Builder.newInstance().leftExpression(new LiteralExpression(leftOperand)).operator(Operator.EQ)
                        .rightExpression(new LiteralExpression(value)).build()).build();
        return plain.toBuilder().policy(Policy.Builder.newInstance().permission(withConstraint).build()).build();
    }

    static ContractAgreement agreementWithoutDuty(String id) {
        var policy = Policy.Builder.newInstance()
                .permission(Permission.Builder.newInstance().action(Action.Builder.newInstance().type("http://www.w3.org/ns/odrl/2/use").build()).build())
                .build();
        return ContractAgreement.Builder.newInstance().id(id).agreementId("shared-" + id).providerId(PROVIDER).consumerId(CONSUMER)
                .assetId("operation-data").contractSigningDate(SIGNED.getEpochSecond()).policy(policy).build();
    }

    /** A P-256 key named as a verification method of {@code did}. */
    static ECKey key(String did) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(did + "#key-1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    /** A decision recorder that keeps what it is given. */
    static final class RecordedDecisions implements DecisionRecorder {
        final List<DecisionEntry> entries = new ArrayList<>();

        @Override
        public synchronized Result<StoredDecision> record(DecisionEntry entry) {
            entries.add(entry);
            return Result.success(null);
        }
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
