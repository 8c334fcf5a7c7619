package io.kakehashi.ai.store.sql;

import io.kakehashi.ai.spi.RemoteTraining;
import io.kakehashi.ai.spi.RemoteTrainingStore;
import io.kakehashi.ai.spi.RemoteTrainingStoreTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("PostgresqlIntegrationTest")
class PostgresRemoteTrainingStoreTest extends RemoteTrainingStoreTestBase {

    private static final String SCHEMA = "ai_remote_training_store_test";

    private PostgresRemoteTrainingStore store;

    @BeforeEach
    void database() throws Exception {
        store = new PostgresRemoteTrainingStore(ComputeTestDatabase.freshSchema(SCHEMA).database, ComputeTestDatabase.MAPPER);
    }

    @Override
    protected RemoteTrainingStore store() {
        return store;
    }

    @Test
    void aTrainingWithItsRounds_shouldReadBackExactlyAfterARestart() {
        var now = Instant.parse("2026-11-23T04:10:00.123456789Z");
        var training = RemoteTraining.running("training-exact", 5, List.of("jp-maker (a-1)", "de-operator (a-2)", "sg-logistics (a-3)"), 2,
                "PT2M", List.of(0.0, 0.0, 0.0), now);
        store.create(training);
        store.update(training.id(), t -> t.with(RemoteTraining.State.RUNNING, List.of(round(1), round(2)),
                List.of(-0.125, 1.0E-12, 3.141592653589793), null, now.plusNanos(1)));

        var restarted = ComputeTestDatabase.reopen(SCHEMA);
        ComputeSchema.create(restarted.database);
        var again = new PostgresRemoteTrainingStore(restarted.database, ComputeTestDatabase.MAPPER).findById(training.id()).orElseThrow();

        assertThat(again).isEqualTo(store.findById(training.id()).orElseThrow());
        assertThat(again.weights()).containsExactly(-0.125, 1.0E-12, 3.141592653589793);
        assertThat(again.reports().get(1).dropped()).containsEntry("de-operator (a-2)", "denied by policy: purpose");
        assertThat(again.updatedAt()).isEqualTo(now.plusNanos(1));
    }
}
