package io.kakehashi.ai.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kakehashi.ai.spi.JobState;
import io.kakehashi.ai.spi.JobType;
import io.kakehashi.ai.spi.RemoteJob;
import io.kakehashi.ai.spi.RemoteJobStore;
import io.kakehashi.core.spi.sql.TransactionalDatabase;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;
import org.eclipse.edc.spi.result.StoreResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * {@link RemoteJobStore} on PostgreSQL (table {@code kakehashi_compute_remote_job}, see {@link ComputeSchema}): the
 * jobs a consumer's connector asked providers to run survive its restart and are shared by its replicas. Each call is
 * one EDC transaction ({@link TransactionalDatabase}); an update locks the job's row for its transaction, so it is atomic
 * across replicas. Times are kept as nanoseconds since the epoch, so a job reads back exactly. Thread-safe.
 */
public final class PostgresRemoteJobStore implements RemoteJobStore {

    private static final String COLUMNS = "id, agreement_id, asset_id, provider_id, counter_party_address, type, parameters, description_hash, "
            + "model_hash, state, progress, reason, provider_job_id, result_hash, result_sha256, created_at_nanos, updated_at_nanos";

    private final TransactionalDatabase database;
    private final ObjectMapper mapper;

    /**
     * @param mapper the runtime's {@code TypeManager} mapper, which writes and reads the JSON columns
     */
    public PostgresRemoteJobStore(TransactionalDatabase database, ObjectMapper mapper) {
        this.database = database;
        this.mapper = mapper;
    }

    @Override
    public StoreResult<Void> create(RemoteJob job) {
        return database.inTransaction("cannot store remote job " + job.id(), connection -> {
            try (var insert = connection.prepareStatement("INSERT INTO kakehashi_compute_remote_job (" + COLUMNS + ") "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                bind(insert, job);
                return insert.executeUpdate() == 1 ? StoreResult.success() : StoreResult.alreadyExists("job %s already exists".formatted(job.id()));
            }
        });
    }

    @Override
    public Optional<RemoteJob> findById(String id) {
        return database.inTransaction("cannot read remote job " + id, connection -> find(connection, id, false));
    }

    @Override
    public List<RemoteJob> findByAgreement(String agreementId) {
        return agreementId == null ? select("", null) : select(" WHERE agreement_id = ?", agreementId);
    }

    /** Reads only the rows of unfinished jobs (a partial index keeps them), not every job ever sent. */
    @Override
    public List<RemoteJob> findUnfinished() {
        return select(" WHERE state IN ('QUEUED', 'RUNNING')", null);
    }

    private List<RemoteJob> select(String where, String parameter) {
        return database.inTransaction("cannot read remote jobs", connection -> {
            try (var select = connection.prepareStatement("SELECT " + COLUMNS + " FROM kakehashi_compute_remote_job" + where
                    + " ORDER BY created_at_nanos, id")) {
                if (parameter != null) {
                    select.setString(1, parameter);
                }
                try (var rows = select.executeQuery()) {
                    var jobs = new ArrayList<RemoteJob>();
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
     * nothing.
     */
    @Override
    public StoreResult<RemoteJob> update(String id, UnaryOperator<RemoteJob> change) {
        return database.inTransaction("cannot update remote job " + id, connection -> {
            var before = find(connection, id, true);
            if (before.isEmpty()) {
                return StoreResult.<RemoteJob>notFound("job %s not found".formatted(id));
            }
            var checked = RemoteJobStore.checkChange(before.get(), change.apply(before.get()));
            if (checked.failed()) {
                return checked;
            }
            var after = checked.getContent();
            try (var update = connection.prepareStatement("UPDATE kakehashi_compute_remote_job SET parameters = ?, state = ?, progress = ?, "
                    + "reason = ?, provider_job_id = ?, result_hash = ?, result_sha256 = ?, updated_at_nanos = ? WHERE id = ?")) {
                update.setString(1, json(after.parameters()));
                update.setString(2, after.state().name());
                update.setDouble(3, after.progress());
                update.setString(4, after.reason());
                update.setString(5, after.providerJobId());
                update.setString(6, after.resultHash());
                update.setString(7, after.resultSha256());
                update.setLong(8, PostgresComputeJobStore.nanos(after.updatedAt()));
                update.setString(9, id);
                update.executeUpdate();
            }
            return checked;
        });
    }

    private Optional<RemoteJob> find(Connection connection, String id, boolean lock) throws SQLException {
        try (var select = connection.prepareStatement("SELECT " + COLUMNS + " FROM kakehashi_compute_remote_job WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            select.setString(1, id);
            try (var rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    private void bind(PreparedStatement statement, RemoteJob job) throws SQLException {
        statement.setString(1, job.id());
        statement.setString(2, job.agreementId());
        statement.setString(3, job.assetId());
        statement.setString(4, job.providerId());
        statement.setString(5, job.counterPartyAddress());
        statement.setString(6, job.type().name());
        statement.setString(7, json(job.parameters()));
        statement.setString(8, job.descriptionHash());
        statement.setString(9, job.modelHash());
        statement.setString(10, job.state().name());
        statement.setDouble(11, job.progress());
        statement.setString(12, job.reason());
        statement.setString(13, job.providerJobId());
        statement.setString(14, job.resultHash());
        statement.setString(15, job.resultSha256());
        statement.setLong(16, PostgresComputeJobStore.nanos(job.createdAt()));
        statement.setLong(17, PostgresComputeJobStore.nanos(job.updatedAt()));
    }

    private RemoteJob read(ResultSet rows) throws SQLException {
        Map<String, String> parameters;
        try {
            parameters = mapper.readValue(rows.getString("parameters"), new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new EdcPersistenceException("remote job %s: unreadable parameters".formatted(rows.getString("id")), e);
        }
        return new RemoteJob(rows.getString("id"), rows.getString("agreement_id"), rows.getString("asset_id"), rows.getString("provider_id"),
                rows.getString("counter_party_address"), JobType.valueOf(rows.getString("type")), parameters,
                rows.getString("description_hash"), rows.getString("model_hash"), JobState.valueOf(rows.getString("state")),
                rows.getDouble("progress"), rows.getString("reason"), rows.getString("provider_job_id"), rows.getString("result_hash"),
                rows.getString("result_sha256"), PostgresComputeJobStore.instant(rows.getLong("created_at_nanos")),
                PostgresComputeJobStore.instant(rows.getLong("updated_at_nanos")));
    }

    private String json(Map<String, String> parameters) {
        try {
            return mapper.writeValueAsString(new TreeMap<>(parameters));
        } catch (JsonProcessingException e) {
            throw new EdcPersistenceException(e);
        }
    }
}
