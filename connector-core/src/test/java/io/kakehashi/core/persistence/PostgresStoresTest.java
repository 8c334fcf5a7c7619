package io.kakehashi.core.persistence;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.json.Json;
import org.eclipse.edc.policy.model.AtomicConstraint;
import org.eclipse.edc.policy.model.LiteralExpression;
import org.eclipse.edc.policy.model.Operator;
import org.eclipse.edc.policy.model.Permission;
import org.eclipse.edc.policy.model.Policy;
import org.eclipse.edc.policy.model.PolicyRegistrationTypes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresStoresTest {

    /** A list operand as the management API hands it over: JSON-LD value objects. */
    private static final List<Object> PURPOSES = List.of(
            Json.createObjectBuilder().add("@value", "analytics").build(),
            Json.createObjectBuilder().add("@value", "ai.training").build());

    @Test
    void withJsonValues_whenAPolicyWithAListOperandIsWrittenAndReadBack_shouldKeepTheValues() throws Exception {
        var mapper = PostgresStores.withJsonValues(edcDefaultMapper());

        var read = mapper.readValue(mapper.writeValueAsString(policy()), Policy.class);

        var constraint = (AtomicConstraint) read.getPermissions().get(0).getConstraints().get(0);
        assertThat(((LiteralExpression) constraint.getRightExpression()).getValue())
                .isEqualTo(List.of(Map.of("@value", "analytics"), Map.of("@value", "ai.training")));
    }

    @Test
    void withJsonValues_shouldWriteJsonValuesAsJson_whereEdcsDefaultMapperWritesBeans() throws Exception {
        assertThat(edcDefaultMapper().writeValueAsString(policy())).contains("\"valueType\":\"STRING\"");
        assertThat(PostgresStores.withJsonValues(edcDefaultMapper()).writeValueAsString(policy()))
                .doesNotContain("valueType").contains("[{\"@value\":\"analytics\"},{\"@value\":\"ai.training\"}]");
    }

    /** Configured as EDC's type manager configures its default mapper (which this module does not depend on). */
    private static ObjectMapper edcDefaultMapper() {
        var mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        PolicyRegistrationTypes.TYPES.forEach(mapper::registerSubtypes);
        return mapper;
    }

    private static Policy policy() {
        var constraint = AtomicConstraint.Builder.newInstance()
                .leftExpression(new LiteralExpression("https://w3id.org/kakehashi/policy/purpose"))
                .operator(Operator.IS_ANY_OF)
                .rightExpression(new LiteralExpression(PURPOSES))
                .build();
        return Policy.Builder.newInstance().permission(Permission.Builder.newInstance().constraint(constraint).build()).build();
    }
}
