package io.kakehashi.policy.validation;

import org.eclipse.edc.policy.engine.PolicyEngineImpl;
import org.eclipse.edc.policy.engine.RuleBindingRegistryImpl;
import org.eclipse.edc.policy.engine.ScopeFilter;
import org.eclipse.edc.policy.engine.spi.PolicyContextImpl;
import org.eclipse.edc.policy.engine.validation.RuleValidator;
import org.eclipse.edc.policy.model.Permission;
import org.junit.jupiter.api.Test;

import static io.kakehashi.policy.validation.OperandRulesTest.LIMIT;
import static io.kakehashi.policy.validation.OperandRulesTest.LIMIT_RULE;
import static org.assertj.core.api.Assertions.assertThat;

class PolicyValidationExtensionTest {

    static class AnyContext extends PolicyContextImpl {
        @Override
        public String scope() {
            return "any";
        }
    }

    @Test
    void providers_shouldGiveOneRegistrarThatFillsTheProvidedTableAndTheInjectedEngine() throws ReflectiveOperationException {
        var bindings = new RuleBindingRegistryImpl();
        var engine = new PolicyEngineImpl(new ScopeFilter(bindings), new RuleValidator(bindings));
        var extension = new PolicyValidationExtension();
        inject(extension, "policyEngine", engine);
        inject(extension, "ruleBindingRegistry", bindings);

        var registrar = extension.constraintRegistrar();
        registrar.register(LIMIT_RULE, "any", AnyContext.class, Permission.class, (operator, rightValue, rule, context) -> true);

        assertThat(extension.constraintRegistrar()).isSameAs(registrar);
        assertThat(extension.operandRules().rule(LIMIT)).contains(LIMIT_RULE);
        assertThat(bindings.isInScope(LIMIT, "any")).isTrue();
    }

    private static void inject(Object target, String field, Object value) throws ReflectiveOperationException {
        var f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }
}
