package io.kakehashi.ai.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document describes exactly the operations the controller serves, and the records' members. */
class ModelsOpenApiDocumentTest {

    private static JsonNode document() throws IOException {
        try (var in = ModelsOpenApiDocumentTest.class.getResourceAsStream("/openapi/models.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void paths_shouldBeTheControllersOperations() throws IOException {
        var documented = new TreeSet<String>();
        document().path("paths").properties().forEach(path -> path.getValue().properties().stream()
                .filter(operation -> Set.of("get", "post").contains(operation.getKey()))
                .forEach(operation -> documented.add(operation.getKey().toUpperCase() + " " + path.getKey())));
        var served = new TreeSet<String>();
        var root = ModelsApiController.class.getAnnotation(Path.class).value();
        for (var method : ModelsApiController.class.getMethods()) {
            var path = method.getAnnotation(Path.class);
            var verb = method.isAnnotationPresent(GET.class) ? "GET" : method.isAnnotationPresent(POST.class) ? "POST" : null;
            if (path != null && verb != null) {
                served.add(verb + " " + root + "/" + path.value());
            }
        }

        assertThat(documented).isEqualTo(served);
    }

    @Test
    void schemas_shouldNameEveryMemberOfTheRecords() throws IOException {
        var schemas = document().path("components").path("schemas");

        assertThat(names(schemas.path("SealedModel").path("properties"))).isEqualTo(components(SealedModel.class));
        assertThat(names(schemas.path("ModelRun").path("properties"))).isEqualTo(components(ModelRun.class));
        assertThat(names(schemas.path("RunReports").path("properties").path("reports").path("items").path("properties")))
                .isEqualTo(components(ReceivedRunReport.class));
    }

    private static Set<String> names(JsonNode properties) {
        var names = new HashSet<String>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> components(Class<? extends Record> type) {
        var names = new HashSet<String>();
        Arrays.stream(type.getRecordComponents()).forEach(component -> names.add(component.getName()));
        return names;
    }
}
