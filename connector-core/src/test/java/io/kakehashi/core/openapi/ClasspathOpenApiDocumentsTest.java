package io.kakehashi.core.openapi;

import org.eclipse.edc.json.JacksonTypeManager;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClasspathOpenApiDocumentsTest {

    private final ClasspathOpenApiDocuments documents = new ClasspathOpenApiDocuments(new JacksonTypeManager().getMapper());

    @Test
    void register_shouldKeepTheDocumentByContextAndName() {
        documents.register("auditor", "auditor", getClass(), "/openapi/sample.json");
        documents.register("management", "compute-jobs", getClass(), "/openapi/sample.json");

        assertThat(documents.document("auditor", "auditor")).hasValueSatisfying(text -> assertThat(text).contains("\"openapi\": \"3.1.0\""));
        assertThat(documents.document("management", "auditor")).isEmpty();
        assertThat(documents.names("management")).containsExactly("compute-jobs");
        assertThat(documents.contexts()).containsExactlyInAnyOrder("auditor", "management");
    }

    @Test
    void register_whenTheDocumentIsMissingOrNotOpenApi31_shouldFailNamingIt() {
        assertThatThrownBy(() -> documents.register("auditor", "x", getClass(), "/openapi/missing.json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/openapi/missing.json");
        assertThatThrownBy(() -> documents.register("auditor", "x", getClass(), "/openapi/swagger2.json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OpenAPI 3.1");
    }

    @Test
    void register_whenTheNameIsTakenOrMalformed_shouldFail() {
        documents.register("auditor", "auditor", getClass(), "/openapi/sample.json");

        assertThatThrownBy(() -> documents.register("auditor", "auditor", getClass(), "/openapi/sample.json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> documents.register("auditor", "../etc", getClass(), "/openapi/sample.json"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> documents.register("auditor", "Auditor", getClass(), "/openapi/sample.json"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
