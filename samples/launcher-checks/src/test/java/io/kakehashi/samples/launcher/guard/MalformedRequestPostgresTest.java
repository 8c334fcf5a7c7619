package io.kakehashi.samples.launcher.guard;

import io.kakehashi.samples.support.ConnectorProcess;
import io.kakehashi.testfixtures.PostgresTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;

import static io.kakehashi.samples.launcher.guard.MalformedRequests.asset;
import static io.kakehashi.samples.launcher.guard.MalformedRequests.assertRefused;
import static io.kakehashi.samples.launcher.guard.MalformedRequests.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MalformedRequestTestBase} against the launcher on PostgreSQL (a database of its own on the tests' server,
 * {@link PostgresTestServer}, created fresh), and what only the SQL stores got wrong: operators, values and concurrent creates
 * that PostgreSQL refuses.
 */
@Tag("EndToEndTest")
@Tag("PostgresqlIntegrationTest")
class MalformedRequestPostgresTest extends MalformedRequestTestBase {

    private static final String DATABASE = "kakehashi_launcher_malformed";

    private static ConnectorProcess connector;

    @BeforeAll
    static void start() {
        var postgres = PostgresTestServer.get();
        postgres.recreateDatabase(DATABASE);
        connector = ConnectorProcess.start(settings("malformed-postgres").postgres(postgres.url(DATABASE), postgres.user()), START);
        storeTheKeptAsset(connector);
    }

    @AfterAll
    static void stop() {
        if (connector != null) {
            connector.close();
        }
    }

    @Override
    ConnectorProcess connector() {
        return connector;
    }

    @ParameterizedTest
    @ValueSource(strings = {"contains", "~~", "ilike"})
    void filterWithAnOperatorTheStoreDoesNotHave_shouldNotBeAServerError(String operator) {
        var answer = requests().management("POST", "/v3/assets/request",
                query(",\"filterExpression\":[{\"operandLeft\":\"id\",\"operator\":\"%s\",\"operandRight\":\"x\"}]".formatted(operator)));
        assertThat(answer.statusCode()).as(answer.body()).isIn(200, 400);
    }

    @Test
    void filterWithAnOperatorPostgresCannotApply_shouldBe400() {
        // EDC translates 'contains' on a text column into the jsonb operator '?', which PostgreSQL refuses
        assertRefused(requests().management("POST", "/v3/assets/request",
                query(",\"filterExpression\":[{\"operandLeft\":\"id\",\"operator\":\"contains\",\"operandRight\":\"x\"}]")), 400, "operator");
    }

    @Test
    void filterWithANumberForLike_shouldBe400() {
        assertRefused(requests().management("POST", "/v3/assets/request",
                query(",\"filterExpression\":[{\"operandLeft\":\"id\",\"operator\":\"like\",\"operandRight\":5}]")), 400, "like");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dataAddress.type", "dataAddress.baseUrl", "https://w3id.org/edc/v0.0.1/ns/dataAddress.type", "privateProperties.x"})
    void filterOnADataAddressProperty_shouldNotBeAServerError(String left) {
        var answer = requests().management("POST", "/v3/assets/request",
                query(",\"filterExpression\":[{\"operandLeft\":\"%s\",\"operator\":\"=\",\"operandRight\":\"x\"}]".formatted(left)));
        assertThat(answer.statusCode()).as(answer.body()).isIn(200, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v3/policydefinitions/request", "/v3/contractnegotiations/request", "/v3/transferprocesses/request"})
    void unknownSortField_shouldBe400NamingIt(String path) {
        assertRefused(requests().management("POST", path, query(",\"sortField\":\"no-such-field\"")), 400, "no-such-field");
    }

    @Test
    void concurrentCreatesOfOneId_shouldStoreOneAndAnswerTheOthers409() throws InterruptedException, ExecutionException {
        var id = "raced-" + System.nanoTime();
        var gate = new CountDownLatch(1);
        var pool = Executors.newFixedThreadPool(8);
        try {
            var calls = new ArrayList<Callable<Integer>>();
            for (var i = 0; i < 8; i++) {
                calls.add(() -> {
                    gate.await();
                    return requests().management("POST", "/v3/assets", asset("\"" + id + "\"")).statusCode();
                });
            }
            var futures = calls.stream().map(pool::submit).toList();
            gate.countDown();
            var statuses = new ArrayList<Integer>();
            for (var future : futures) {
                statuses.add(future.get());
            }
            assertThat(statuses).containsOnly(200, 409).containsOnlyOnce(200);
        } finally {
            pool.shutdownNow();
        }
        assertThat(requests().management("GET", "/v3/assets/" + id, null).statusCode()).isEqualTo(200);
    }
}
