package io.kakehashi.consent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionRecorder;
import io.kakehashi.policy.decisionlog.spi.StoredDecision;
import io.kakehashi.policy.spi.KakehashiPolicy;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.result.Result;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

final class ConsentTestFixtures {

    static final String PROVIDER = "did:web:127.0.0.1%3A8001:retailer";
    static final String CONSUMER = "did:web:127.0.0.1%3A8002:analyst";
    static final String STRANGER = "did:web:127.0.0.1%3A8003:broker";
    static final String ASSET = "e-receipts";
    static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ConsentTestFixtures() {
    }

    /** An agreement for {@link #ASSET} between PROVIDER and CONSUMER; with purposes, it carries {@code purpose isAnyOf purposes}. */
    static ContractAgreement agreement(String id, String... purposes) {
        var permission = Permission.Builder.newInstance().action(Action.Builder.newInstance().type(KakehashiPolicy.ODRL_USE).build());
        if (purposes.length > 0) {
            permission.constraint(AtomicConstraint.Builder.newInstance().leftExpression(new LiteralExpression(KakehashiPolicy.PURPOSE))
                    .operator(Operator.IS_ANY_OF).rightExpression(new LiteralExpression(List.of(purposes))).build());
        }
        return ContractAgreement.Builder.newInstance().id(id).agreementId("shared-" + id).providerId(PROVIDER).consumerId(CONSUMER)
                .assetId(ASSET).contractSigningDate(NOW.getEpochSecond() - 3600).policy(Policy.Builder.newInstance().permission(permission.build()).build())
                .build();
    }

    /** A consent of {@code subject} for {@link #ASSET}, granted a day ago, not expiring. */
    static Consent consent(String subject, String recipient, String... purposes) {
        return new Consent(UUID.randomUUID().toString(), subject, ASSET, List.of(purposes), recipient, NOW.minusSeconds(86_400), null, null);
    }

    static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    /** A decision recorder that keeps what it is given. */
    static final class RecordedDecisions implements DecisionRecorder {
        final List<DecisionEntry> entries = new ArrayList<>();
        volatile boolean failing;

        @Override
        public synchronized Result<StoredDecision> record(DecisionEntry entry) {
            if (failing) {
                return Result.failure(NOT_RECORDED);
            }
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
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
