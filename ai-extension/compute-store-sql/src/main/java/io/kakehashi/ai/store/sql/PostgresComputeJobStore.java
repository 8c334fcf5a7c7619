package io.kakehashi.ai.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.ai.spi.ComputeJobStore;
import io.kakehashi.ai.spi.JobRecord;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.core.spi.sql.TransactionalDatabase;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.spi.result.StoreResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@link ComputeJobStore} on PostgreSQL (table {@code kakehashi_compute_job}, see {@link ComputeSchema}): shared by
 * the control-plane replicas and kept across restarts. Each call is one EDC transaction ({@link TransactionalDatabase}). An
 * update locks the job's row ({@code SELECT … FOR UPDATE}) for its transaction, so it is atomic across replicas. Times are kept as nanoseconds since the epoch, so a job reads
 * back exactly as it was written. Thread-safe.
 */
public final class PostgresComputeJobStore implements ComputeJobStore {

    private static final String COLUMNS = "id, agreement_id, asset_id, consumer_id, type, parameters, description_hash, model_hash, state, "
            + "progress, reason, result_hash, admitted, created_at_nanos, updated_at_nanos";

    private final TransactionalDatabase database;
    private final ObjectMapper mapper;

    /**
     * @param mapper the runtime's {@code TypeManager} mapper, which writes and reads the JSON columns
     */
    public PostgresComputeJobStore(TransactionalDatabase database, ObjectMapper mapper) {
        this.database = database;
        this.mapper = mapper;
    }

    @Override
    public StoreResult<Void> create(JobRecord job) {
        return database.inTransaction("cannot store job " + job.id(), connection -> {
            try (var insert = connection.prepareStatement("INSERT INTO kakehashi_compute_job (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (id) DO NOTHING")) {
                bind(insert, job);
                return insert.executeUpdate() == 1 ? StoreResult.success() : StoreResult.alreadyExists("job %s already exists".formatted(job.id()));
            }
        });
    }

    @Override
    public Optional<JobRecord> findById(String id) {
        return database.inTransaction("cannot read job " + id, connection -> find(connection, id, false));
    }

    @Override
    public List<JobRecord> findByAgreement(String agreementId) {
        return database.inTransaction("cannot read the jobs of agreement " + agreementId, connection -> {
            try (var select = connection.prepareStatement("SELECT " + COLUMNS + " FROM kakehashi_compute_job WHERE agreement_id = ? ORDER BY created_at_nanos, id")) {
                select.setString(1, agreementId);
                try (var rows = select.executeQuery()) {
                    var jobs = new ArrayList<JobRecord>();
                    while (rows.next()) {
                        jobs.add(read(rows));
                    }
                    return jobs;
                }
            }
        });
    }

    @Override
    public List<JobRecord> findUnfinished() {
        return database.inTransaction("cannot read the unfinished jobs", connection -> {
            try (var select = connection.prepareStatement("SELECT " + COLUMNS + " FROM kakehashi_compute_job WHERE state IN ('QUEUED', 'RUNNING')"
                    + " ORDER BY created_at_nanos, id")) {
                try (var rows = select.executeQuery()) {
                    var jobs = new ArrayList<JobRecord>();
                    while (rows.next()) {
                        jobs.add(read(rows));
                    }
                    return jobs;
                }
            }
        });
    }

    /**
     * Reads the job under a row lock, applies the change and writes it, in one transaction; a refused change writes
     * nothing, so the commit that ends the transaction only releases the lock.
     */
    @Override
    public StoreResult<JobRecord> update(String id, UnaryOperator<JobRecord> change) {
        return database.inTransaction("cannot update job " + id, connection -> {
            var before = find(connection, id, true);
            if (before.isEmpty()) {
                return StoreResult.<JobRecord>notFound("job %s not found".formatted(id));
            }
            var checked = ComputeJobStore.checkChange(before.get(), change.apply(before.get()));
            if (checked.failed()) {
                return checked;
            }
            try (var update = connection.prepareStatement("UPDATE kakehashi_compute_job SET state = ?, progress = ?, reason = ?, result_hash = ?, "
                    + "admitted = ?, updated_at_nanos = ?, parameters = ? WHERE id = ?")) {
                var after = checked.getContent();
                update.setString(1, after.state().name());
                update.setDouble(2, after.progress());
                update.setString(3, after.reason());
                update.setString(4, after.resultHash());
                update.setBoolean(5, after.admitted());
                update.setLong(6, nanos(after.updatedAt()));
                update.setString(7, json(after.parameters()));
                update.setString(8, id);
                update.executeUpdate();
            }
            return checked;
        });
    }

    @Override
    public long countAdmitted(String agreementId) {
        return database.inTransaction("cannot count the jobs of agreement " + agreementId, connection -> {
            try (var count = connection.prepareStatement("SELECT count(*) FROM kakehashi_compute_job WHERE agreement_id = ? AND admitted")) {
                count.setString(1, agreementId);
                try (var rows = count.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    private Optional<JobRecord> find(Connection connection, String id, boolean lock) throws SQLException {
        try (var select = connection.prepareStatement("SELECT " + COLUMNS + " FROM kakehashi_compute_job WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            select.setString(1, id);
            try (var rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    private void bind(PreparedStatement statement, JobRecord job) throws SQLException {
        statement.setString(1, job.id());
        statement.setString(2, job.agreementId());
        statement.setString(3, job.assetId());
        statement.setString(4, job.consumerId());
        statement.setString(5, job.type().name());
        statement.setString(6, json(job.parameters()));
        statement.setString(7, job.descriptionHash());
        statement.setString(8, job.modelHash());
        statement.setString(9, job.state().name());
        statement.setDouble(10, job.progress());
        statement.setString(11, job.reason());
        statement.setString(12, job.resultHash());
        statement.setBoolean(13, job.admitted());
        statement.setLong(14, nanos(job.createdAt()));
        statement.setLong(15, nanos(job.updatedAt()));
    }

    private JobRecord read(ResultSet rows) throws SQLException {
        Map<String, String> parameters;
        try {
            parameters = mapper.readValue(rows.getString("parameters"), new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new EdcPersistenceException("job %s: unreadable parameters".formatted(rows.getString("id")), e);
        }
        return new JobRecord(rows.getString("id"), rows.getString("agreement_id"), rows.getString("asset_id"), rows.getString("consumer_id"),
                JobType.valueOf(rows.getString("type")), parameters, rows.getString("description_hash"), rows.getString("model_hash"),
                JobState.valueOf(rows.getString("state")), rows.getDouble("progress"), rows.getString("reason"), rows.getString("result_hash"),
                rows.getBoolean("admitted"), instant(rows.getLong("created_at_nanos")), instant(rows.getLong("updated_at_nanos")));
    }

    private String json(Map<String, String> parameters) {
        try {
            return mapper.writeValueAsString(new java.util.TreeMap<>(parameters));
        } catch (JsonProcessingException e) {
            throw new EdcPersistenceException(e);
        }
    }

    static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
