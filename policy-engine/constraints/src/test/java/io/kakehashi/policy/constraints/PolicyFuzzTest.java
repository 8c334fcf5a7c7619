package io.kakehashi.policy.constraints;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.policy.constraints.ai.ComputeJobCountConstraintFunction;
import io.kakehashi.policy.constraints.ai.ComputeScopeExtension;
import io.kakehashi.policy.spi.ComputePolicyContext;
import io.kakehashi.policy.spi.KakehashiPolicy;
import io.kakehashi.policy.validation.ConstraintRegistrar;
import io.kakehashi.policy.validation.OperandRule;
import io.kakehashi.policy.validation.OperandRules;
import org.eclipse.edc.connector.controlplane.catalog.spi.policy.CatalogPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.ContractNegotiationPolicyContext;
import org.eclipse.edc.connector.controlplane.contract.spi.policy.TransferProcessPolicyContext;
import org.eclipse.edc.connector.policy.monitor.spi.PolicyMonitorContext;
import org.eclipse.edc.policy.engine.PolicyEngineImpl;
import org.eclipse.edc.policy.engine.RuleBindingRegistryImpl;
import org.eclipse.edc.policy.engine.ScopeFilter;
import org.eclipse.edc.policy.engine.validation.RuleValidator;
import org.eclipse.edc.policy.model.Action;
import org.eclipse.edc.policy.model.AndConstraint;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.Constraint;
import org.eclipse.edc.policy.model.Duty;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.OrConstraint;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.policy.model.Prohibition;
import org.eclipse.edc.policy.model.XoneConstraint;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ODRL policies as the management API validates them before storing one: EDC's policy engine with every Kakehashi
 * constraint registered as the connector registers it ({@code PolicyEngine.validate}, which runs each operand's
 * {@link OperandRule} on the right operand). Whatever the rules, operators and right operands, validation answers a
 * result and never throws.
 * <p>
 * An input is a policy as plain JSON: {@code {"permission":[{"action":…,"constraint":[…],"duty":[…]}],
 * "prohibition":[…], "obligation":[…]}}, a constraint being {@code {"leftOperand":…,"operator":…,"rightOperand":…}}
 * or {@code {"or"|"and"|"xone":[…]}}. The right operand keeps the Java type JSON gives it (string, number, list, map,
 * boolean, null), as EDC's JSON-LD transformers hand it over. An operator that is no ODRL operator ends the input
 * (EDC's transformer refuses it before validation). Regression inputs: {@code PolicyFuzzTestInputs/} under this
 * package in src/test/resources. Fuzz with {@code JAZZER_FUZZ=1} (docs/security.md).
 */
@Tag("security")
class PolicyFuzzTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final RuleBindingRegistryImpl bindings = new RuleBindingRegistryImpl();
    private final PolicyEngineImpl engine = new PolicyEngineImpl(new ScopeFilter(bindings), new RuleValidator(bindings));

    PolicyFuzzTest() {
        // as the connector's extensions register them (ConstraintRegistrationTest checks the same set)
        var registrar = new ConstraintRegistrar(engine, bindings, new OperandRules());
        var clock = Clock.fixed(Instant.parse("2026-11-23T03:00:00Z"), ZoneOffset.UTC);
        engine.registerScope(CatalogPolicyContext.CATALOG_SCOPE, CatalogPolicyContext.class);
        engine.registerScope(ContractNegotiationPolicyContext.NEGOTIATION_SCOPE, ContractNegotiationPolicyContext.class);
        engine.registerScope(TransferProcessPolicyContext.TRANSFER_SCOPE, TransferProcessPolicyContext.class);
        engine.registerScope(PolicyMonitorContext.POLICY_MONITOR_SCOPE, PolicyMonitorContext.class);
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
        registrar.register(ComputeJobCountConstraintFunction.RULE, "compute", ComputePolicyContext.class, Permission.class,
                new ComputeJobCountConstraintFunction(a -> 0));
    }

    @FuzzTest(maxDuration = "5m")
    void validate(byte[] input) {
        Policy policy;
        try {
            policy = policy(MAPPER.readValue(input, Object.class));
        } catch (IOException | NotAPolicy e) {
            return;
        }

        var result = engine.validate(policy);

        assertThat(result).isNotNull();
    }

    @Test
    void validate_whenSeedIsWellFormed_shouldAccept() throws IOException {
        // the target is not vacuous: the well-formed seed passes every operand's rule
        try (var seed = getClass().getResourceAsStream("PolicyFuzzTestInputs/validate/well-formed")) {
            assertThat(seed).isNotNull();
            var result = engine.validate(policy(MAPPER.readValue(seed.readAllBytes(), Object.class)));

            assertThat(result.succeeded()).as(String.valueOf(result.getFailureMessages())).isTrue();
        }
    }

    @Test
    void validate_whenSeedIsMalformed_shouldRefuse() throws IOException {
        try (var seed = getClass().getResourceAsStream("PolicyFuzzTestInputs/validate/purpose-unknown")) {
            assertThat(seed).isNotNull();

            assertThat(engine.validate(policy(MAPPER.readValue(seed.readAllBytes(), Object.class))).failed()).isTrue();
        }
    }

    private static final class NotAPolicy extends RuntimeException {
    }

    private static Policy policy(Object json) {
        var builder = Policy.Builder.newInstance();
        var object = map(json);
        for (var rule : list(object.get("permission"))) {
            var permission = Permission.Builder.newInstance().action(action(map(rule))).constraints(constraints(map(rule).get("constraint")));
            for (var duty : list(map(rule).get("duty"))) {
                permission.duty(duty(map(duty)));
            }
            builder.permission(permission.build());
        }
        for (var rule : list(object.get("prohibition"))) {
            builder.prohibition(Prohibition.Builder.newInstance().action(action(map(rule))).constraints(constraints(map(rule).get("constraint"))).build());
        }
        for (var rule : list(object.get("obligation"))) {
            builder.duty(duty(map(rule)));
        }
        return builder.build();
    }

    private static Duty duty(Map<?, ?> rule) {
        return Duty.Builder.newInstance().action(action(rule)).constraints(constraints(rule.get("constraint"))).build();
    }

    private static Action action(Map<?, ?> rule) {
        var type = rule.get("action");
        return Action.Builder.newInstance().type(type == null ? KakehashiPolicy.ODRL_USE : type.toString()).build();
    }

    private static List<Constraint> constraints(Object json) {
        var constraints = new ArrayList<Constraint>();
        for (var entry : list(json)) {
            constraints.add(constraint(map(entry)));
        }
        return constraints;
    }

    private static Constraint constraint(Map<?, ?> json) {
        if (json.containsKey("or")) {
            return OrConstraint.Builder.newInstance().constraints(constraints(json.get("or"))).build();
        }
        if (json.containsKey("and")) {
            return AndConstraint.Builder.newInstance().constraints(constraints(json.get("and"))).build();
        }
        if (json.containsKey("xone")) {
            return XoneConstraint.Builder.newInstance().constraints(constraints(json.get("xone"))).build();
        }
        var operator = Arrays.stream(Operator.values())
                .filter(o -> o.name().equals(json.get("operator")) || OperandRule.term(o).equals(json.get("operator")))
                .findFirst().orElseThrow(NotAPolicy::new);
        var left = json.get("leftOperand");
        if (left == null) {
            throw new NotAPolicy();
        }
        return AtomicConstraint.Builder.newInstance().leftExpression(new LiteralExpression(left.toString())).operator(operator)
                .rightExpression(new LiteralExpression(json.get("rightOperand"))).build();
    }

    private static Map<?, ?> map(Object json) {
        if (json instanceof Map<?, ?> map) {
            return map;
        }
        throw new NotAPolicy();
    }

    private static List<?> list(Object json) {
        if (json == null) {
            return List.of();
        }
        return json instanceof List<?> list ? list : List.of(json);
    }
}
