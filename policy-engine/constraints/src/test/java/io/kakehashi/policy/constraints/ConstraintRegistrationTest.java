package io.kakehashi.policy.constraints;

import io.kakehashi.policy.constraints.onward.OnwardTransfer;
import io.kakehashi.policy.constraints.onward.OnwardTransferConstraintExtension;
import io.kakehashi.policy.constraints.ai.ComputeJobCountConstraintFunction;
import io.kakehashi.policy.constraints.ai.ComputeScopeExtension;
import io.kakehashi.policy.spi.ComputeJob;
import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.validation.ConstraintRegistrar;
import io.kakehashi.policy.validation.OperandRule;
import io.kakehashi.policy.validation.OperandRules;
import org.eclipse.edc.connector.controlplane.catalog.spi.policy.CatalogPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.connector.policy.monitor.spi.PolicyMonitorContext;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.policy.engine.PolicyEngineImpl;
import org.eclipse.edc.policy.engine.RuleBindingRegistryImpl;
import org.eclipse.edc.policy.engine.ScopeFilter;
import org.eclipse.edc.policy.engine.validation.RuleValidator;
import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.Duty;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Stream;

import static io.kakehashi.policy.constraints.PolicyContextTestFixtures.agreement;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every constraint registered as the connector registers it, on EDC's own policy engine: each operand is in the
 * validation table, a malformed constraint is refused at creation with its reason, and an agreement carrying a
 * deletion duty is accepted and evaluated.
 */
class ConstraintRegistrationTest {

    private static final Instant SIGNED = Instant.parse("2026-11-01T00:00:00Z");
    private static final String ODRL = "http://www.w3.org/ns/odrl/2/";

    private final RuleBindingRegistryImpl bindings = new RuleBindingRegistryImpl();
    private final PolicyEngineImpl engine = new PolicyEngineImpl(new ScopeFilter(bindings), new RuleValidator(bindings));
    private final OperandRules rules = new OperandRules();

    ConstraintRegistrationTest() {
        var registrar = new ConstraintRegistrar(engine, bindings, rules);
        var clock = Clock.fixed(Instant.parse("2026-11-23T03:00:00Z"), ZoneOffset.UTC);
        engine.registerScope(CatalogPolicyContext.CATALOG_SCOPE, CatalogPolicyContext.class);
        engine.registerScope(ContractNegotiationPolicyContext.NEGOTIATION_SCOPE, ContractNegotiationPolicyContext.class);
        engine.registerScope(TransferProcessPolicyContext.TRANSFER_SCOPE, TransferProcessPolicyContext.class);
        engine.registerScope(PolicyMonitorContext.POLICY_MONITOR_SCOPE, PolicyMonitorContext.class);
        // as EDC binds it
        bindings.bind(KakehashiPolicy.ODRL_USE, TransferProcessPolicyContext.TRANSFER_SCOPE);
        bindings.bind(KakehashiPolicy.ODRL_USE, PolicyMonitorContext.POLICY_MONITOR_SCOPE);
        TimeConstraintsExtension.register(bindings, registrar, clock);
        registrar.register(TransferCountConstraintFunction.RULE, TransferProcessPolicyContext.TRANSFER_SCOPE, TransferProcessPolicyContext.class,
                Permission.class, new TransferCountConstraintFunction(a -> 0));
        var jurisdiction = ConsumerJurisdictionConstraintFunction.rule(JurisdictionGroups.none());
        registrar.register(jurisdiction, ContractNegotiationPolicyContext.NEGOTIATION_SCOPE, ContractNegotiationPolicyContext.class, Permission.class,
                new ConsumerJurisdictionConstraintFunction<ContractNegotiationPolicyContext>(jurisdiction));
        ComputeScopeExtension.register(engine, bindings, registrar);
        PurposeConstraintExtension.register(registrar);
        CredentialConstraintsExtension.register(registrar, clock);
        TransferQuotaConstraintExtension.register(registrar);
        DeletionDutyExtension.register(bindings, registrar, clock);
        OnwardTransferConstraintExtension.register(registrar, OnwardTransfer.rule(JurisdictionGroups.none()));
        registrar.register(ComputeJobCountConstraintFunction.RULE, "compute",
                ComputePolicyContext.class, Permission.class,
                new ComputeJobCountConstraintFunction(a -> 0));
    }

    private static AtomicConstraint constraint(String leftOperand, Operator operator, Object rightOperand) {
        return AtomicConstraint.Builder.newInstance()
                .leftExpression(new LiteralExpression(leftOperand)).operator(operator).rightExpression(new LiteralExpression(rightOperand)).build();
    }

    private static Policy useOnlyIf(AtomicConstraint constraint) {
        return Policy.Builder.newInstance()
                .permission(Permission.Builder.newInstance().action(Action.Builder.newInstance().type(KakehashiPolicy.ODRL_USE).build()).constraint(constraint).build())
                .build();
    }

    private static Policy useWithDuty(String dutyAction, AtomicConstraint dutyConstraint) {
        var duty = Duty.Builder.newInstance().action(Action.Builder.newInstance().type(dutyAction).build()).constraint(dutyConstraint).build();
        return Policy.Builder.newInstance()
                .permission(Permission.Builder.newInstance().action(Action.Builder.newInstance().type(KakehashiPolicy.ODRL_USE).build()).duty(duty).build())
                .build();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of(KakehashiPolicy.PURPOSE, Operator.IS_ANY_OF, List.of("marketing"), "purpose: 'marketing' is not a known purpose"),
                Arguments.of(KakehashiPolicy.PURPOSE, Operator.GT, "ai", "purpose: operator 'gt' is not allowed"),
                Arguments.of(KakehashiPolicy.MEMBERSHIP, Operator.IS_NONE_OF, "ouranos", "membership: operator 'isNoneOf' is not allowed"),
                Arguments.of(KakehashiPolicy.CERTIFICATION, Operator.EQ, List.of("ISO27001", "ISMS"), "certification: 'eq' takes one certification name"),
                Arguments.of(KakehashiPolicy.TRANSFER_MAX_BYTES, Operator.LEQ, "a lot", "transfer.maxBytes: 'a lot' is not a whole number"),
                Arguments.of(KakehashiPolicy.TRANSFER_MAX_MESSAGES, Operator.LEQ, "0", "transfer.maxMessages: the limit must be at least 1"),
                Arguments.of(KakehashiPolicy.COMPUTE_JOB_COUNT, Operator.GEQ, "3", "compute.jobCount: operator 'gteq' is not allowed"),
                Arguments.of(KakehashiPolicy.CONSUMER_JURISDICTION, Operator.IS_ANY_OF, List.of("Japan"), "jurisdiction: 'Japan' is neither"),
                Arguments.of(KakehashiPolicy.ONWARD_TRANSFER, Operator.IS_ANY_OF, List.of("acme-corp"), "onwardTransfer: 'acme-corp' is not 'none', a DID"),
                Arguments.of(KakehashiPolicy.COUNTERPARTY_LEGAL_ID, Operator.EQ, "jcn:any", "counterpartyLegalId: 'jcn:any' is not 'jcn:*', 'lei:*' or a valid identifier"),
                Arguments.of(ODRL + "elapsedTime", Operator.LEQ, "30 days", "elapsedTime: '30 days' is not an ISO 8601 duration"),
                Arguments.of(ODRL + "dateTime", Operator.LEQ, "next spring", "dateTime: 'next spring' is not an ISO 8601 date-time"),
                Arguments.of(ODRL + "count", Operator.LEQ, 0L, "count: the limit must be at least 1"),
                Arguments.of(KakehashiPolicy.AI_MODEL_EXPORT, Operator.EQ, "maybe", "ai.modelExport: 'maybe' is not true or false"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void validate_whenTheConstraintIsMalformed_shouldRejectOnceWithItsReason(String leftOperand, Operator operator, Object rightOperand, String reason) {
        var result = engine.validate(useOnlyIf(constraint(leftOperand, operator, rightOperand)));

        assertThat(result.getFailureMessages()).singleElement().asString().startsWith(reason);
    }

    static Stream<Arguments> wellFormed() {
        return Stream.of(
                Arguments.of(KakehashiPolicy.PURPOSE, Operator.IS_ANY_OF, List.of("analytics", "ai.evaluation")),
                Arguments.of(KakehashiPolicy.MEMBERSHIP, Operator.EQ, "ouranos"),
                Arguments.of(KakehashiPolicy.CERTIFICATION, Operator.IS_ANY_OF, List.of("ISO27001")),
                Arguments.of(KakehashiPolicy.TRANSFER_MAX_BYTES, Operator.LEQ, "1073741824"),
                Arguments.of(KakehashiPolicy.TRANSFER_MAX_MESSAGES, Operator.LEQ, 1000L),
                Arguments.of(KakehashiPolicy.COMPUTE_JOB_COUNT, Operator.LEQ, 5L),
                Arguments.of(ODRL + "elapsedTime", Operator.LEQ, "P30D"));
    }

    @ParameterizedTest
    @MethodSource("wellFormed")
    void validate_whenTheConstraintIsWellFormed_shouldAccept(String leftOperand, Operator operator, Object rightOperand) {
        assertThat(engine.validate(useOnlyIf(constraint(leftOperand, operator, rightOperand))).succeeded()).isTrue();
    }

    @Test
    void validate_whenTheLeftOperandIsUnknown_shouldRejectNamingIt() {
        var result = engine.validate(useOnlyIf(constraint(KakehashiPolicy.NAMESPACE + "colour", Operator.EQ, "blue")));

        assertThat(result.getFailureDetail()).contains("leftOperand 'https://w3id.org/kakehashi/policy/colour' is not bound");
    }

    @Test
    void register_shouldPutEveryOperandInTheTable() {
        assertThat(rules.all()).extracting(OperandRule::leftOperand).contains(KakehashiPolicy.PURPOSE, KakehashiPolicy.MEMBERSHIP,
                KakehashiPolicy.CERTIFICATION, KakehashiPolicy.TRANSFER_MAX_BYTES, KakehashiPolicy.TRANSFER_MAX_MESSAGES,
                KakehashiPolicy.COMPUTE_JOB_COUNT, KakehashiPolicy.CONSUMER_JURISDICTION, KakehashiPolicy.AI_MODEL_EXPORT,
                KakehashiPolicy.AI_MIN_AGGREGATION, KakehashiPolicy.AI_DP_EPSILON, KakehashiPolicy.ONWARD_TRANSFER, KakehashiPolicy.COUNTERPARTY_LEGAL_ID, ODRL + "dateTime", ODRL + "elapsedTime", ODRL + "count");
    }

    @Nested
    class Compute {

        private final Policy analyticsOnly = useOnlyIf(constraint(KakehashiPolicy.PURPOSE, Operator.EQ, "analytics"));

        private ComputePolicyContext job(String type) {
            var job = new ComputeJob(type, false, OptionalLong.of(10), OptionalDouble.empty(), 0);
            return new ComputePolicyContext(new ParticipantAgent("ai-vendor", Map.of(), Map.of()), agreement(SIGNED, analyticsOnly),
                    SIGNED.plus(Duration.ofDays(1)), job);
        }

        @Test
        void evaluate_whenTheJobServesTheAgreedPurpose_shouldPermit() {
            assertThat(engine.evaluate(analyticsOnly, job("sql")).succeeded()).isTrue();
        }

        @Test
        void evaluate_whenTheJobComesAfterTheUseWindow_shouldDeny() {
            var thirtyDays = useOnlyIf(constraint(ODRL + "elapsedTime", Operator.LEQ, "P30D"));
            var job = new ComputeJob("sql", false, OptionalLong.of(10), OptionalDouble.empty(), 0);
            var vendor = new ParticipantAgent("ai-vendor", Map.of(), Map.of());

            assertThat(engine.evaluate(thirtyDays, new ComputePolicyContext(vendor, agreement(SIGNED, thirtyDays), SIGNED.plus(Duration.ofDays(29)), job))
                    .succeeded()).isTrue();
            assertThat(engine.evaluate(thirtyDays, new ComputePolicyContext(vendor, agreement(SIGNED, thirtyDays), SIGNED.plus(Duration.ofDays(31)), job))
                    .failed()).isTrue();
        }

        @Test
        void evaluate_whenTheJobServesAnotherPurpose_shouldDenyWithTheReason() {
            var context = job("training");

            assertThat(engine.evaluate(analyticsOnly, context).failed()).isTrue();
            assertThat(context.getProblems()).containsExactly("purpose: requested ai.training is not in [analytics]");
        }
    }

    @Nested
    class DeletionDuty {

        private final Policy deleteWithin90Days = useWithDuty(DeletionDeadlines.ODRL_DELETE, constraint(ODRL + "elapsedTime", Operator.LEQ, "P90D"));

        private Result<Void> transferAt(Instant now) {
            var vendor = new ParticipantAgent("ai-vendor", Map.of(), Map.of());
            return engine.evaluate(deleteWithin90Days, new TransferProcessPolicyContext(vendor, agreement(SIGNED, deleteWithin90Days), now));
        }

        @Test
        void validate_whenADeletionDutyWithAWindow_shouldAccept() {
            assertThat(engine.validate(deleteWithin90Days).succeeded()).isTrue();
        }

        @Test
        void validate_whenTheDutysWindowIsMalformed_orItsActionIsNotSupported_shouldReject() {
            assertThat(engine.validate(useWithDuty(DeletionDeadlines.ODRL_DELETE, constraint(ODRL + "elapsedTime", Operator.LEQ, "three months"))).getFailureDetail())
                    .contains("elapsedTime: 'three months' is not an ISO 8601 duration");
            assertThat(engine.validate(useWithDuty(ODRL + "notify", constraint(ODRL + "elapsedTime", Operator.LEQ, "P90D"))).getFailureDetail())
                    .contains("action 'http://www.w3.org/ns/odrl/2/notify' is not bound");
            assertThat(engine.validate(useWithDuty(DeletionDeadlines.ODRL_DELETE, constraint(ODRL + "dateTime", Operator.LEQ, "2027-01-01"))).getFailureDetail())
                    .contains("not bound to any functions");
        }

        @Test
        void evaluate_atNegotiation_shouldNotStandInTheWay() {
            var vendor = new ParticipantAgent("ai-vendor", Map.of(), Map.of());

            assertThat(engine.evaluate(deleteWithin90Days, new ContractNegotiationPolicyContext(vendor)).succeeded()).isTrue();
        }

        @Test
        void evaluate_atTransferBeforeTheDeadline_shouldPermit() {
            assertThat(transferAt(SIGNED.plus(Duration.ofDays(89))).succeeded()).isTrue();
        }

        @Test
        void evaluate_atTransferAfterTheDeadline_shouldDenyAndSayWhy() {
            var vendor = new ParticipantAgent("ai-vendor", Map.of(), Map.of());
            var context = new TransferProcessPolicyContext(vendor, agreement(SIGNED, deleteWithin90Days), SIGNED.plus(Duration.ofDays(91)));

            assertThat(engine.evaluate(deleteWithin90Days, context).failed()).isTrue();
            assertThat(context.getProblems()).containsExactly(
                    "duty: the data was due for deletion by 2027-01-30T00:00:00Z (PT2160H after signing), it is now 2027-01-31T00:00:00Z");
        }

        @Test
        void deadlines_shouldBeTheSigningDatePlusTheWindow() {
            var obligation = Policy.Builder.newInstance()
                    .duty(Duty.Builder.newInstance().action(Action.Builder.newInstance().type(DeletionDeadlines.ODRL_DELETE).build())
                            .constraint(constraint(ODRL + "elapsedTime", Operator.LEQ, "P30D")).build())
                    .build();

            assertThat(DeletionDeadlines.of(agreement(SIGNED, deleteWithin90Days)))
                    .containsExactly(new DeletionDeadlines.DeletionDeadline(Instant.parse("2027-01-30T00:00:00Z"), Duration.ofDays(90)));
            assertThat(DeletionDeadlines.of(agreement(SIGNED, obligation))).extracting(DeletionDeadlines.DeletionDeadline::deadline)
                    .containsExactly(Instant.parse("2026-12-01T00:00:00Z"));
            assertThat(DeletionDeadlines.of(agreement(SIGNED, useOnlyIf(constraint(ODRL + "elapsedTime", Operator.LEQ, "P30D"))))).isEmpty();
        }

        @Test
        void evaluate_whenATopLevelObligation_shouldAlsoRefuseAfterTheDeadline() {
            var obligation = Policy.Builder.newInstance()
                    .permission(Permission.Builder.newInstance().action(Action.Builder.newInstance().type(KakehashiPolicy.ODRL_USE).build()).build())
                    .duty(Duty.Builder.newInstance().action(Action.Builder.newInstance().type(DeletionDeadlines.ODRL_DELETE).build())
                            .constraint(constraint(ODRL + "elapsedTime", Operator.LEQ, "P30D")).build())
                    .build();
            var vendor = new ParticipantAgent("ai-vendor", Map.of(), Map.of());

            assertThat(engine.evaluate(obligation, new TransferProcessPolicyContext(vendor, agreement(SIGNED, obligation), SIGNED.plus(Duration.ofDays(29)))).succeeded()).isTrue();
            assertThat(engine.evaluate(obligation, new TransferProcessPolicyContext(vendor, agreement(SIGNED, obligation), SIGNED.plus(Duration.ofDays(31)))).failed()).isTrue();
        }
    }
}
