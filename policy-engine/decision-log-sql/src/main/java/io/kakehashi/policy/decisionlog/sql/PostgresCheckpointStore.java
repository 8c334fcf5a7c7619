package io.kakehashi.policy.decisionlog.sql;

import io.kakehashi.policy.decisionlog.DecisionJson;

import io.kakehashi.policy.decisionlog.spi.Checkpoint;
import io.kakehashi.policy.decisionlog.spi.CheckpointKey;
import io.kakehashi.policy.decisionlog.spi.CheckpointStore;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Checkpoints in their own table next to the log ({@code kakehashi_decision_checkpoint}); a second checkpoint for
 * a sequence that has one is ignored. The keys they were signed with are in {@code kakehashi_decision_checkpoint_key},
 * in the order they were taken; a second key for a key id is ignored. Thread-safe.
 */
public final class PostgresCheckpointStore implements CheckpointStore {

    private final DataSource dataSource;

    /**
     * A store on the data source, whose tables must exist ({@link DecisionLogSchema#create}).
     */
    public PostgresCheckpointStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public void save(Checkpoint checkpoint) {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement("INSERT INTO kakehashi_decision_checkpoint (sequence, head_hash, signed_at, jws) VALUES (?, ?, ?, ?) ON CONFLICT (sequence) DO NOTHING")) {
            statement.setLong(1, checkpoint.sequence());
            statement.setString(2, checkpoint.headHash());
            statement.setObject(3, OffsetDateTime.ofInstant(checkpoint.time(), ZoneOffset.UTC));
            statement.setString(4, checkpoint.jws());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new EdcPersistenceException("cannot save a decision log checkpoint: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Checkpoint> all() {
        return select("SELECT sequence, head_hash, signed_at, jws FROM kakehashi_decision_checkpoint ORDER BY sequence");
    }

    @Override
    public Optional<Checkpoint> latest() {
        return select("SELECT sequence, head_hash, signed_at, jws FROM kakehashi_decision_checkpoint ORDER BY sequence DESC LIMIT 1").stream().findFirst();
    }

    @Override
    public void saveKey(CheckpointKey key) {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement("INSERT INTO kakehashi_decision_checkpoint_key (kid, public_jwk, added_at, endorsement) VALUES (?, ?, ?, ?) ON CONFLICT (kid) DO NOTHING")) {
            statement.setString(1, key.kid());
            statement.setString(2, key.publicJwk());
            statement.setObject(3, OffsetDateTime.ofInstant(key.added(), ZoneOffset.UTC));
            statement.setString(4, key.endorsement());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new EdcPersistenceException("cannot save a decision log checkpoint key: " + e.getMessage(), e);
        }
    }

    @Override
    public List<CheckpointKey> keys() {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement("SELECT kid, public_jwk, added_at, endorsement FROM kakehashi_decision_checkpoint_key ORDER BY position");
             var rows = statement.executeQuery()) {
            var result = new ArrayList<CheckpointKey>();
            while (rows.next()) {
                result.add(new CheckpointKey(rows.getString(1), rows.getString(2), rows.getObject(3, OffsetDateTime.class).toInstant(), rows.getString(4)));
            }
            return result;
        } catch (SQLException e) {
            throw new EdcPersistenceException("cannot read decision log checkpoint keys: " + e.getMessage(), e);
        }
    }

    private List<Checkpoint> select(String sql) {
        try (var connection = dataSource.getConnection(); var statement = connection.prepareStatement(sql); var rows = statement.executeQuery()) {
            var result = new ArrayList<Checkpoint>();
            while (rows.next()) {
                // the tree head is kept in the JWS only (the table predates it); the readable copy is taken from there
                result.add(new Checkpoint(rows.getLong(1), rows.getString(2), rows.getObject(3, OffsetDateTime.class).toInstant(), rows.getString(4),
                        DecisionJson.treeRootOf(rows.getString(4))));
            }
            return result;
        } catch (SQLException e) {
            throw new EdcPersistenceException("cannot read decision log checkpoints: " + e.getMessage(), e);
        }
    }
}
