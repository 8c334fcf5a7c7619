package io.kakehashi.core.web.guard;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QuerySpecShapeTest {

    private static JsonObject query(String name, JsonValue value) {
        return Json.createObjectBuilder()
                .add(QuerySpecShape.EDC + name, Json.createArrayBuilder().add(Json.createObjectBuilder().add("@value", value)))
                .build();
    }

    @Test
    void validate_whenPagingAndSortingHaveTheirTypes_shouldPass() {
        assertThat(QuerySpecShape.validate(query("limit", Json.createValue(10))).succeeded()).isTrue();
        assertThat(QuerySpecShape.validate(query("sortOrder", Json.createValue("DESC"))).succeeded()).isTrue();
        assertThat(QuerySpecShape.validate(Json.createObjectBuilder().build()).succeeded()).isTrue();
    }

    @Test
    void validate_whenLimitIsNotAWholeNumber_shouldNameIt() {
        for (var value : new JsonValue[]{Json.createValue("abc"), Json.createValue(1.5), JsonValue.TRUE}) {
            var result = QuerySpecShape.validate(query("limit", value));
            assertThat(result.failed()).isTrue();
            assertThat(result.getFailure().getViolations()).singleElement().satisfies(v -> assertThat(v.message()).isEqualTo("limit must be a whole number"));
        }
        var nodeObject = Json.createObjectBuilder().add(QuerySpecShape.EDC + "offset", Json.createArrayBuilder().add(Json.createObjectBuilder()
                .add("https://w3id.org/edc/v0.0.1/ns/a", 1))).build();
        assertThat(QuerySpecShape.validate(nodeObject).getFailureMessages()).containsExactly("offset must be a whole number");
    }

    @Test
    void validate_whenSortOrderIsUnknown_shouldNameIt() {
        assertThat(QuerySpecShape.validate(query("sortOrder", Json.createValue("SIDEWAYS"))).getFailureMessages()).containsExactly("sortOrder must be ASC or DESC");
    }
}
