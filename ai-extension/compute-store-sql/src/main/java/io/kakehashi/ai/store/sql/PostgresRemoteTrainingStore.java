package io.kakehashi.ai.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kakehashi.ai.spi.RemoteTraining;
import io.kakehashi.ai.spi.RemoteTrainingStore;
import io.kakehashi.core.spi.sql.TransactionalDatabase;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.spi.result.StoreResult;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * {@link RemoteTrainingStore} on PostgreSQL (table {@code kakehashi_compute_remote_training}, see {@link ComputeSchema}):
 * the trainings a vendor's connector coordinates, with their round reports and weights, survive its restart. The
 * state and times are columns; what was asked, the reports and the weights are one JSON document per training (a
 * training is read and written whole). Each call is one EDC transaction ({@link TransactionalDatabase}); an update locks the
 * training's row. Thread-safe.
 */
public final class PostgresRemoteTrainingStore implements RemoteTrainingStore {

    private static final String COLUMNS = "id, state, document, created_at_nanos, updated_at_nanos";

    private final TransactionalDatabase database;
    private final ObjectMapper mapper;

    /**
     * @param mapper the runtime's {@code TypeManager} mapper, which writes and reads the JSON columns
     */
    public PostgresRemoteTrainingStore(TransactionalDatabase database, ObjectMapper mapper) {
        this.database = database;
        this.mapper = mapper;
    }

    @Override
    public StoreResult<Void> create(RemoteTraining training) {
        return database.inTransaction("cannot store training " + training.id(), connection -> {
            try (var insert = connection.prepareStatement("INSERT INTO kakehashi_compute_remote_training (" + COLUMNS + ") "
                    + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                insert.setString(1, training.id());
                insert.setString(2, training.state().name());
                insert.setString(3, document(training));
                insert.setLong(4, PostgresComputeJobStore.nanos(training.createdAt()));
                insert.setLong(5, PostgresComputeJobStore.nanos(training.updatedAt()));
                return insert.executeUpdate() == 1 ? StoreResult.success()
                        : StoreResult.alreadyExists("training %s already exists".formatted(training.id()));
            }
        });
    }

    @Override
    public Optional<RemoteTraining> findById(String id) {
        return database.inTransaction("cannot read training " + id, connection -> find(connection, id, false));
    }

    @Override
    public List<RemoteTraining> findAll() {
        return select("");
    }

    @Override
    public List<RemoteTraining> findRunning() {
        return select(" WHERE state = 'RUNNING'");
    }

    /** Reads the training under a row lock, applies the change and writes it, in one transaction; a refused change writes nothing. */
    @Override
    public StoreResult<RemoteTraining> update(String id, UnaryOperator<RemoteTraining> change) {
        return database.inTransaction("cannot update training " + id, connection -> {
            var before = find(connection, id, true);
            if (before.isEmpty()) {
                return StoreResult.notFound("training %s not found".formatted(id));
            }
            var checked = RemoteTrainingStore.checkChange(before.get(), change.apply(before.get()));
            if (checked.failed()) {
                return checked;
            }
            var after = checked.getContent();
            try (var update = connection.prepareStatement(
                    "UPDATE kakehashi_compute_remote_training SET state = ?, document = ?, updated_at_nanos = ? WHERE id = ?")) {
                update.setString(1, after.state().name());
                update.setString(2, document(after));
                update.setLong(3, PostgresComputeJobStore.nanos(after.updatedAt()));
                update.setString(4, id);
                update.executeUpdate();
            }
            return checked;
        });
    }

    private List<RemoteTraining> select(String where) {
        return database.inTransaction("cannot read trainings", connection -> {
            try (var select = connection.prepareStatement("SELECT " + COLUMNS + " FROM kakehashi_compute_remote_training" + where
                    + " ORDER BY created_at_nanos, id"); var rows = select.executeQuery()) {
                var trainings = new ArrayList<RemoteTraining>();
                while (rows.next()) {
                    trainings.add(read(rows));
                }
                return trainings;
            }
        });
    }

    private Optional<RemoteTraining> find(Connection connection, String id, boolean lock) throws SQLException {
        try (var select = connection.prepareStatement("SELECT " + COLUMNS + " FROM kakehashi_compute_remote_training WHERE id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            select.setString(1, id);
            try (var rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    private String document(RemoteTraining training) {
        var root = mapper.createObjectNode();
        root.put("rounds", training.rounds());
        training.participants().forEach(root.putArray("participants")::add);
        root.put("quorum", training.quorum());
        root.put("roundDeadline", training.roundDeadline());
        training.weights().forEach(root.putArray("weights")::add);
        root.put("reason", training.reason());
        var reports = root.putArray("reports");
        for (var round : training.reports()) {
            var report = reports.addObject();
            report.put("round", round.round());
            round.answered().forEach(report.putArray("answered")::add);
            putMap(report.putObject("dropped"), round.dropped());
            report.put("samples", round.samples()).put("bytesSent", round.bytesSent()).put("bytesReceived", round.bytesReceived())
                    .put("durationMillis", round.durationMillis());
            putMap(report.putObject("jobs"), round.jobs());
        }
        return root.toString();
    }

    private static void putMap(ObjectNode node, java.util.Map<String, String> values) {
        new TreeMap<>(values).forEach(node::put);
    }

    private RemoteTraining read(ResultSet rows) throws SQLException {
        var id = rows.getString("id");
        JsonNode root;
        try {
            root = mapper.readTree(rows.getString("document"));
        } catch (JsonProcessingException e) {
            throw new EdcPersistenceException("training %s: unreadable document".formatted(id), e);
        }
        var participants = new ArrayList<String>();
        root.path("participants").forEach(p -> participants.add(p.asText()));
        var weights = new ArrayList<Double>();
        root.path("weights").forEach(w -> weights.add(w.asDouble()));
        var reports = new ArrayList<RemoteTraining.Round>();
        for (var report : root.path("reports")) {
            var answered = new ArrayList<String>();
            report.path("answered").forEach(a -> answered.add(a.asText()));
            reports.add(new RemoteTraining.Round(report.path("round").asInt(), answered, map(report.path("dropped")), report.path("samples").asLong(),
                    report.path("bytesSent").asLong(), report.path("bytesReceived").asLong(), report.path("durationMillis").asLong(),
                    map(report.path("jobs"))));
        }
        return new RemoteTraining(id, RemoteTraining.State.valueOf(rows.getString("state")), root.path("rounds").asInt(), participants,
                root.path("quorum").asInt(), root.path("roundDeadline").asText(), reports, weights,
                root.path("reason").isTextual() ? root.path("reason").asText() : null,
                PostgresComputeJobStore.instant(rows.getLong("created_at_nanos")), PostgresComputeJobStore.instant(rows.getLong("updated_at_nanos")));
    }

    private static java.util.Map<String, String> map(JsonNode node) {
        var values = new TreeMap<String, String>();
        node.fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue().asText()));
        return values;
    }
}
