package io.kakehashi.policy.validation;

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
import org.eclipse.edc.spi.result.Result;
import org.eclipse.edc.spi.system.ServiceExtension;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;

import static io.kakehashi.policy.validation.OperandRulesTest.LIMIT;
import static io.kakehashi.policy.validation.OperandRulesTest.LIMIT_RULE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Registration through the registrar on EDC's own policy engine: validation at creation uses the table, evaluation the
 * function.
 */
class ConstraintRegistrarTest {

    private static final String USE = "http://www.w3.org/ns/odrl/2/use";

    private final RuleBindingRegistryImpl bindings = new RuleBindingRegistryImpl();
    private final PolicyEngineImpl engine = new PolicyEngineImpl(new ScopeFilter(bindings), new RuleValidator(bindings));
    private final OperandRules rules = new OperandRules();
    private final ConstraintRegistrar registrar = new ConstraintRegistrar(engine, bindings, rules);

    static class First extends PolicyContextImpl {
        @Override
        public String scope() {
            return "first";
        }
    }

    static class Second extends PolicyContextImpl {
        @Override
        public String scope() {
            return "second";
        }
    }

    // the function's own validation would accept anything: the table's must be the one applied
    private static <C extends PolicyContextImpl> AtomicConstraintRuleFunction<Permission, C> atMostFive() {
        return new AtomicConstraintRuleFunction<>() {
            @Override
            public boolean evaluate(Operator operator, Object rightValue, Permission rule, C context) {
                return 5 <= Long.parseLong((String) rightValue);
            }

            @Override
            public Result<Void> validate(Operator operator, Object rightValue, Permission rule) {
                return Result.success();
            }
        };
    }

    private static Policy useOnlyIf(String leftOperand, Operator operator, Object rightOperand) {
        return Policy.Builder.newInstance()
                .permission(Permission.Builder.newInstance()
                        .action(Action.Builder.newInstance().type(USE).build())
                        .constraint(AtomicConstraint.Builder.newInstance()
                                .leftExpression(new LiteralExpression(leftOperand)).operator(operator)
                                .rightExpression(new LiteralExpression(rightOperand)).build())
                        .build())
                .build();
    }

    private void registerInBothScopes() {
        engine.registerScope("first", First.class);
        engine.registerScope("second", Second.class);
        bindings.bind(USE, "first");
        bindings.bind(USE, "second");
        registrar.register(LIMIT_RULE, "first", First.class, Permission.class, atMostFive());
        registrar.register(LIMIT_RULE, "second", Second.class, Permission.class, atMostFive());
    }

    @Test
    void register_shouldAddTheRuleToTheTable() {
        registerInBothScopes();

        assertThat(rules.all()).containsExactly(LIMIT_RULE);
    }

    @Test
    void validate_whenTheConstraintIsMalformed_shouldFailOnceWithTheTablesReason() {
        registerInBothScopes();

        var result = engine.validate(useOnlyIf(LIMIT, Operator.LEQ, "many"));

        assertThat(result.getFailureMessages()).containsExactly("limit: 'many' is not a positive whole number");
    }

    @Test
    void validate_whenTheOperatorIsWrong_shouldFail() {
        registerInBothScopes();

        assertThat(engine.validate(useOnlyIf(LIMIT, Operator.GT, "5")).getFailureMessages())
                .containsExactly("limit: operator 'gt' is not allowed (lt, lteq)");
    }

    @Test
    void validate_whenWellFormed_shouldPass() {
        registerInBothScopes();

        assertThat(engine.validate(useOnlyIf(LIMIT, Operator.LEQ, "5")).succeeded()).isTrue();
    }

    @Test
    void validate_whenTheOperandIsUnknown_shouldFailNamingIt() {
        registerInBothScopes();

        assertThat(engine.validate(useOnlyIf("https://example.com/policy/colour", Operator.EQ, "blue")).getFailureDetail())
                .contains("leftOperand 'https://example.com/policy/colour' is not bound");
    }

    @Test
    void evaluate_shouldUseTheFunctionInTheScopeItIsRegisteredFor() {
        registerInBothScopes();

        assertThat(engine.evaluate(useOnlyIf(LIMIT, Operator.LEQ, "7"), new First()).succeeded()).isTrue();
        assertThat(engine.evaluate(useOnlyIf(LIMIT, Operator.LEQ, "3"), new Second()).failed()).isTrue();
    }

    @Test
    void register_whenAnotherRuleHasTheOperand_shouldThrow() {
        registerInBothScopes();
        var conflicting = new OperandRule<>(LIMIT, "limit", List.of(Operator.EQ), OperandRulesTest::positive);

        assertThatThrownBy(() -> registrar.register(conflicting, "first", First.class, Permission.class, atMostFive()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already has a rule");
    }

    @Test
    void extension_shouldBeAServiceExtension() {
        assertThat(ServiceLoader.load(ServiceExtension.class).stream().map(ServiceLoader.Provider::type))
                .contains(PolicyValidationExtension.class);
    }
}
