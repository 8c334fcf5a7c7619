package io.kakehashi.samples.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiContractTest {

    private static final OpenApiContract CONTRACT = OpenApiContract.of("""
            {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
             "paths": {
               "/v1/items/{id}": {"get": {"responses": {
                 "200": {"description": "an item", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
                 "404": {"$ref": "#/components/responses/NotFound"}}}},
               "/v1/items": {"post": {
                 "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}},
                 "responses": {"201": {"description": "made"}}}},
               "/text": {"get": {"responses": {"200": {"description": "text",
                 "content": {"text/plain": {"schema": {"type": "string", "pattern": "^# TYPE "}}}}}}}
             },
             "components": {
               "schemas": {"Item": {"type": "object", "required": ["id", "state"],
                 "properties": {"id": {"type": "string"}, "state": {"enum": ["OPEN", "DONE"]}}, "additionalProperties": false}},
               "responses": {"NotFound": {"description": "none", "content": {"application/json": {"schema":
                 {"type": "object", "required": ["message"]}}}}}
             }}""");

    @Test
    void checkResponse_whenTheBodyFitsTheReferencedSchema_shouldFindNothing() {
        assertThat(CONTRACT.checkResponse("GET", "/v1/items/{id}", 200, "application/json; charset=utf-8", "{\"id\":\"a\",\"state\":\"OPEN\"}"))
                .isEmpty();
        assertThat(CONTRACT.checkResponse("GET", "/v1/items/{id}", 404, "application/json", "{\"message\":\"no\"}")).isEmpty();
        assertThat(CONTRACT.checkResponse("GET", "/text", 200, "text/plain;version=0.0.4", "# TYPE x counter\n")).isEmpty();
    }

    @Test
    void checkResponse_whenTheBodyBreaksTheSchema_shouldSayWhere() {
        assertThat(CONTRACT.checkResponse("GET", "/v1/items/{id}", 200, "application/json", "{\"id\":\"a\",\"state\":\"LOST\"}")).hasSize(1);
        assertThat(CONTRACT.checkResponse("GET", "/v1/items/{id}", 200, "application/json", "{\"id\":\"a\"}")).isNotEmpty();
        assertThat(CONTRACT.checkResponse("GET", "/v1/items/{id}", 200, "application/json", "{\"id\":\"a\",\"state\":\"OPEN\",\"x\":1}")).isNotEmpty();
        assertThat(CONTRACT.checkResponse("GET", "/v1/items/{id}", 404, "application/json", "{}")).isNotEmpty();
        assertThat(CONTRACT.checkResponse("GET", "/text", 200, "text/plain", "hello")).isNotEmpty();
    }

    @Test
    void checkResponse_whenTheAnswerIsNotDocumented_shouldBeAViolation() {
        assertThat(CONTRACT.checkResponse("GET", "/v1/items/{id}", 500, "application/json", "{}")).singleElement().asString().contains("no 500");
        assertThat(CONTRACT.checkResponse("GET", "/v1/items/{id}", 200, "text/html", "<p/>")).singleElement().asString().contains("text/html");
        assertThat(CONTRACT.checkResponse("DELETE", "/v1/items/{id}", 204, null, "")).singleElement().asString().contains("not documented");
    }

    @Test
    void checkRequest_shouldCheckTheBodyAgainstTheRequestSchema() {
        assertThat(CONTRACT.checkRequest("POST", "/v1/items", "application/json", "{\"id\":\"a\",\"state\":\"DONE\"}")).isEmpty();
        assertThat(CONTRACT.checkRequest("POST", "/v1/items", "application/json", "{\"id\":7,\"state\":\"DONE\"}")).isNotEmpty();
    }

    @Test
    void operations_shouldListEveryDocumentedMethodAndPath() {
        assertThat(CONTRACT.operations()).containsExactly("GET /text", "GET /v1/items/{id}", "POST /v1/items");
    }
}
