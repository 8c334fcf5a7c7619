package io.kakehashi.policy.decisionlog.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.policy.decisionlog.spi.ConstraintReason;
import io.kakehashi.policy.decisionlog.spi.DecisionEntry;
import io.kakehashi.policy.decisionlog.spi.DecisionOutcome;
import io.kakehashi.policy.decisionlog.spi.DecisionScope;
import io.kakehashi.policy.spi.ComputeJob;
import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.spi.DigestedPolicyContext;
import org.eclipse.edc.connector.controlplane.catalog.spi.policy.CatalogPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.types.agreement.ContractAgreement;
import org.eclipse.edc.participant.spi.ParticipantAgent;
import org.eclipse.edc.policy.engine.PolicyEngineImpl;
import org.eclipse.edc.policy.engine.RuleBindingRegistryImpl;
import org.eclipse.edc.policy.engine.ScopeFilter;
import org.eclipse.edc.policy.engine.spi.AtomicConstraintRuleFunction;
import org.eclipse.edc.policy.engine.spi.PolicyContextImpl;
import org.eclipse.edc.policy.engine.validation.RuleValidator;
import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.spi.monitor.Monitor;
import org.eclipse.edc.spi.result.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class RecordingPolicyEngineTest {

    private static final String REGION = "https://example.org/policy/region";
    private static final String USE = "http://www.w3.org/ns/odrl/2/use";
    private static final Instant NOW = Instant.parse("2026-11-23T04:00:00Z");

    private final List<DecisionEntry> log = new ArrayList<>();
    private final RecentDenial recentDenial = new RecentDenial();
    private PolicyEngineImpl edcEngine;

    @BeforeEach
    void setUp() {
        var bindings = new RuleBindingRegistryImpl();
        for (var scope : List.of("catalog", "contract.negotiation", "transfer.process", "compute", "request.catalog")) {
            bindings.bind(USE, scope);
            bindings.bind(REGION, scope);
        }
        edcEngine = new PolicyEngineImpl(new ScopeFilter(bindings), new RuleValidator(bindings));
    }

    private RecordingPolicyEngine recording(DenialDisclosure disclosure) {
        var engine = new RecordingPolicyEngine(edcEngine, new DecisionEntryFactory(new DecisionDigests(new ObjectMapper()),
                Clock.fixed(NOW, ZoneOffset.UTC)), log::add, disclosure, recentDenial, new Monitor() {
        });
        engine.registerFunction(ContractNegotiationPolicyContext.class, Permission.class, REGION, new RegionFunction<>());
        engine.registerFunction(TransferProcessPolicyContext.class, Permission.class, REGION, new RegionFunction<>());
        engine.registerFunction(CatalogPolicyContext.class, Permission.class, REGION, new RegionFunction<>());
        engine.registerFunction(ComputePolicyContext.class, Permission.class, REGION, new RegionFunction<>());
        return engine;
    }

    @Nested
    class Recording {

        @Test
        void evaluate_whenPermitted_shouldRecordThePermitWithEachConstraint() {
            var result = recording(DenialDisclosure.FULL).evaluate(regionPolicy("JP"), new ContractNegotiationPolicyContext(vendor()));

            assertThat(result.succeeded()).isTrue();
            assertThat(log).singleElement().satisfies(entry -> {
                assertThat(entry.time()).isEqualTo(NOW);
                assertThat(entry.scope()).isEqualTo(DecisionScope.CONTRACT_NEGOTIATION);
                assertThat(entry.counterpartyId()).isEqualTo("ai-vendor");
                assertThat(entry.assetId()).isEqualTo("machine-operation-data");
                assertThat(entry.outcome()).isEqualTo(DecisionOutcome.PERMIT);
                assertThat(entry.reasons()).containsExactly(new ConstraintReason("region", DecisionOutcome.PERMIT, "region: satisfied (region eq JP)"));
                assertThat(entry.policyHash()).matches("[0-9a-f]{64}");
                assertThat(entry.claimsDigest()).matches("[0-9a-f]{64}");
            });
            assertThat(recentDenial.take()).isEmpty();
        }

        @Test
        void evaluate_whenDenied_shouldRecordTheDenyWithTheFunctionsReason() {
            var result = recording(DenialDisclosure.FULL).evaluate(regionPolicy("EU"), new ContractNegotiationPolicyContext(vendor()));

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).isEqualTo("denied by policy: region: consumer region JP is not EU");
            assertThat(log).singleElement().satisfies(entry -> {
                assertThat(entry.outcome()).isEqualTo(DecisionOutcome.DENY);
                assertThat(entry.reasons()).containsExactly(new ConstraintReason("region", DecisionOutcome.DENY, "region: consumer region JP is not EU"));
            });
            assertThat(recentDenial.take()).contains("denied by policy: region: consumer region JP is not EU");
        }

        @Test
        void evaluate_inTheTransferScope_shouldNameTheAgreementByItsDspIdWithTheLocalIdBeside_andItsAsset() {
            var agreement = ContractAgreement.Builder.newInstance().id("local-agreement-7").agreementId("agreement-7")
                    .providerId("jp-machine-tool-maker").consumerId("ai-vendor").assetId("machine-operation-data")
                    .contractSigningDate(NOW.getEpochSecond()).policy(regionPolicy("JP")).build();

            recording(DenialDisclosure.FULL).evaluate(agreement.getPolicy(), new TransferProcessPolicyContext(vendor(), agreement, NOW));

            assertThat(log).singleElement().satisfies(entry -> {
                assertThat(entry.scope()).isEqualTo(DecisionScope.TRANSFER_PROCESS);
                assertThat(entry.agreementId()).isEqualTo("agreement-7");
                assertThat(entry.localAgreementId()).isEqualTo("local-agreement-7");
                assertThat(entry.assetId()).isEqualTo("machine-operation-data");
            });
        }

        @Test
        void evaluate_whenTheCounterpartyClaimsDiffer_shouldRecordAnotherClaimsDigest() {
            var engine = recording(DenialDisclosure.FULL);
            engine.evaluate(regionPolicy("JP"), new CatalogPolicyContext(vendor()));
            engine.evaluate(regionPolicy("JP"), new CatalogPolicyContext(new ParticipantAgent("ai-vendor", Map.of("kakehashi:countryOfRegistration", "DE"), Map.of())));
            engine.evaluate(regionPolicy("EU"), new CatalogPolicyContext(vendor()));

            assertThat(log).hasSize(3);
            assertThat(log.get(0).claimsDigest()).isNotEqualTo(log.get(1).claimsDigest());
            assertThat(log.get(0).policyHash()).isEqualTo(log.get(1).policyHash()).isNotEqualTo(log.get(2).policyHash());
        }

        @Test
        void evaluate_whenTheCounterpartysLegalEntityCredentialGivesAJcn_shouldRecordIt() {
            var engine = recording(DenialDisclosure.FULL);
            engine.evaluate(regionPolicy("JP"), new CatalogPolicyContext(new ParticipantAgent("ai-vendor",
                    Map.of("kakehashi:countryOfRegistration", "JP", "kakehashi:registryId", "JCN:1180301018771"), Map.of())));
            engine.evaluate(regionPolicy("JP"), new CatalogPolicyContext(new ParticipantAgent("ai-vendor",
                    Map.of("kakehashi:countryOfRegistration", "JP", "kakehashi:registryId", "JCN:2180301018771"), Map.of())));
            engine.evaluate(regionPolicy("JP"), new CatalogPolicyContext(vendor()));

            assertThat(log).extracting(DecisionEntry::counterpartyLegalId).containsExactly("JCN:1180301018771", null, null);
        }

        @Test
        void evaluate_whenOnlyTheTokenDiffers_shouldRecordTheSameClaimsDigest() {
            var engine = recording(DenialDisclosure.FULL);
            engine.evaluate(regionPolicy("JP"), new CatalogPolicyContext(new ParticipantAgent("ai-vendor",
                    Map.of("kakehashi:countryOfRegistration", "JP", "jti", "token-1", "iat", 1L), Map.of())));
            engine.evaluate(regionPolicy("JP"), new CatalogPolicyContext(new ParticipantAgent("ai-vendor",
                    Map.of("kakehashi:countryOfRegistration", "JP", "jti", "token-2", "iat", 2L), Map.of())));

            assertThat(log.get(0).claimsDigest()).isEqualTo(log.get(1).claimsDigest());
        }

        @Test
        void evaluate_inTheConsumersOwnRequestScope_shouldNotRecord() {
            var context = new PolicyContextImpl() {
                @Override
                public String scope() {
                    return "request.catalog";
                }
            };

            var result = recording(DenialDisclosure.FULL).evaluate(Policy.Builder.newInstance().build(), context);

            assertThat(result.succeeded()).isTrue();
            assertThat(log).isEmpty();
        }

        @Test
        void evaluate_whenTheDecisionCannotBeRecorded_shouldRefuseEvenAPermit() {
            var engine = new RecordingPolicyEngine(edcEngine, new DecisionEntryFactory(new DecisionDigests(new ObjectMapper()), Clock.systemUTC()),
                    entry -> {
                        throw new IllegalStateException("disk full");
                    }, DenialDisclosure.FULL, recentDenial, new Monitor() {
            });
            engine.registerFunction(ContractNegotiationPolicyContext.class, Permission.class, REGION, new RegionFunction<>());

            var result = engine.evaluate(regionPolicy("JP"), new ContractNegotiationPolicyContext(vendor()));

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).isEqualTo(RecordingPolicyEngine.NOT_RECORDED);
        }

        @Test
        void evaluate_whenNoFunctionDecidesTheDenial_shouldKeepEdcsReason() {
            var engine = recording(DenialDisclosure.FULL);
            edcEngine.registerPreValidator(ContractNegotiationPolicyContext.class, (policy, context) -> false);

            var result = engine.evaluate(regionPolicy("JP"), new ContractNegotiationPolicyContext(vendor()));

            assertThat(result.failed()).isTrue();
            assertThat(log).singleElement().satisfies(entry -> {
                assertThat(entry.outcome()).isEqualTo(DecisionOutcome.DENY);
                assertThat(entry.reasons()).extracting(ConstraintReason::constraint).containsExactly("policy");
            });
        }
    }

    @Nested
    class Digests {

        private static final String JOB = "1".repeat(64);
        private static final String MODEL = "2".repeat(64);

        @Test
        void evaluate_whenTheContextNamesDigests_shouldCopyThemIntoTheEntry() {
            var agreement = agreement();
            var context = new ComputePolicyContext(vendor(), agreement, NOW, sqlJob(),
                    Map.of(DigestedPolicyContext.JOB, JOB, DigestedPolicyContext.MODEL, MODEL));

            var result = recording(DenialDisclosure.FULL).evaluate(agreement.getPolicy(), context);

            assertThat(result.succeeded()).isTrue();
            assertThat(log).singleElement().satisfies(entry -> {
                assertThat(entry.scope()).isEqualTo(DecisionScope.COMPUTE);
                assertThat(entry.agreementId()).isEqualTo("agreement-7");
                assertThat(entry.localAgreementId()).isNull();
                assertThat(entry.digests()).containsExactly(Map.entry("job", JOB), Map.entry("model", MODEL));
            });
        }

        @Test
        void evaluate_whenADeniedContextNamesDigests_shouldRecordThemWithTheDenial() {
            var agreement = agreement("EU");

            var result = recording(DenialDisclosure.FULL).evaluate(agreement.getPolicy(),
                    new ComputePolicyContext(vendor(), agreement, NOW, sqlJob(), Map.of(DigestedPolicyContext.JOB, JOB)));

            assertThat(result.failed()).isTrue();
            assertThat(log).singleElement().satisfies(entry -> {
                assertThat(entry.outcome()).isEqualTo(DecisionOutcome.DENY);
                assertThat(entry.digests()).containsExactly(Map.entry("job", JOB));
            });
        }

        @Test
        void evaluate_whenTheContextNamesNoDigests_shouldRecordNone() {
            var agreement = agreement();

            recording(DenialDisclosure.FULL).evaluate(agreement.getPolicy(), new ComputePolicyContext(vendor(), agreement, NOW, sqlJob()));

            assertThat(log).singleElement().satisfies(entry -> assertThat(entry.digests()).isEmpty());
        }

        @Test
        void evaluate_whenADigestIsMalformed_shouldRefuseTheDecisionAsUnrecordable() {
            var agreement = agreement();

            var result = recording(DenialDisclosure.FULL).evaluate(agreement.getPolicy(),
                    new ComputePolicyContext(vendor(), agreement, NOW, sqlJob(), Map.of(DigestedPolicyContext.JOB, "not-a-sha256")));

            assertThat(result.failed()).isTrue();
            assertThat(result.getFailureDetail()).isEqualTo(RecordingPolicyEngine.NOT_RECORDED);
            assertThat(log).isEmpty();
        }

        private static ComputeJob sqlJob() {
            return new ComputeJob("sql", false, OptionalLong.of(5), OptionalDouble.empty(), 0);
        }

        private static ContractAgreement agreement() {
            return agreement("JP");
        }

        private static ContractAgreement agreement(String region) {
            return ContractAgreement.Builder.newInstance().id("agreement-7").agreementId("agreement-7")
                    .providerId("jp-machine-tool-maker").consumerId("ai-vendor").assetId("machine-operation-data")
                    .contractSigningDate(NOW.getEpochSecond()).policy(regionPolicy(region)).build();
        }
    }

    @Nested
    class Disclosure {

        @Test
        void evaluate_whenOnlyConstraintNamesMayBeDisclosed_shouldNameTheConstraintButLogTheReason() {
            var result = recording(DenialDisclosure.CONSTRAINTS).evaluate(regionPolicy("EU"), new ContractNegotiationPolicyContext(vendor()));

            assertThat(result.getFailureDetail()).isEqualTo("denied by policy: not satisfied: region");
            assertThat(log.get(0).reasons().get(0).reason()).isEqualTo("region: consumer region JP is not EU");
        }

        @Test
        void evaluate_whenNothingMayBeDisclosed_shouldSayOnlyThatThePolicyDenied() {
            var result = recording(DenialDisclosure.NONE).evaluate(regionPolicy("EU"), new ContractNegotiationPolicyContext(vendor()));

            assertThat(result.getFailureDetail()).isEqualTo("denied by policy");
            assertThat(log.get(0).reasons().get(0).reason()).isEqualTo("region: consumer region JP is not EU");
        }

        @Test
        void parse_shouldAcceptTheThreeLevelsAndNothingElse() {
            assertThat(DenialDisclosure.parse("full")).contains(DenialDisclosure.FULL);
            assertThat(DenialDisclosure.parse(" Constraints ")).contains(DenialDisclosure.CONSTRAINTS);
            assertThat(DenialDisclosure.parse("none")).contains(DenialDisclosure.NONE);
            assertThat(DenialDisclosure.parse("everything")).isEmpty();
            assertThat(DenialDisclosure.parse(null)).isEmpty();
        }
    }

    @Nested
    class Delegation {

        @Test
        void validate_shouldStillUseTheRegisteredFunctionsValidation() {
            var engine = recording(DenialDisclosure.FULL);
            engine.registerFunction(ContractNegotiationPolicyContext.class, Permission.class, REGION,
                    new AtomicConstraintRuleFunction<Permission, ContractNegotiationPolicyContext>() {
                        @Override
                        public boolean evaluate(Operator operator, Object rightValue, Permission rule, ContractNegotiationPolicyContext context) {
                            return true;
                        }

                        @Override
                        public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
                            return "XX".equals(rightValue) ? Result.failure("region: XX is not a region") : Result.success();
                        }
                    });

            assertThat(engine.validate(regionPolicy("XX")).getFailureDetail()).contains("region: XX is not a region");
            assertThat(engine.validate(regionPolicy("JP")).succeeded()).isTrue();
        }
    }

    private static Policy regionPolicy(String region) {
        var constraint = AtomicConstraint.Builder.newInstance().leftExpression(new LiteralExpression(REGION))
                .operator(Operator.EQ).rightExpression(new LiteralExpression(region)).build();
        return Policy.Builder.newInstance().target("machine-operation-data")
                .permission(Permission.Builder.newInstance().action(Action.Builder.newInstance().type(USE).build()).constraint(constraint).build())
                .build();
    }

    private static ParticipantAgent vendor() {
        return new ParticipantAgent("ai-vendor", Map.of("kakehashi:countryOfRegistration", "JP"), Map.of());
    }

    /** Permits when the right operand is JP, the vendor's region in these tests; otherwise reports why not. */
    private static final class RegionFunction<C extends org.eclipse.edc.policy.engine.spi.PolicyContext> implements AtomicConstraintRuleFunction<Permission, C> {
        @Override
        public boolean evaluate(Operator operator, Object rightValue, Permission rule, C context) {
            if ("JP".equals(rightValue)) {
                return true;
            }
            context.reportProblem("region: consumer region JP is not " + rightValue);
            return false;
        }
    }
}
