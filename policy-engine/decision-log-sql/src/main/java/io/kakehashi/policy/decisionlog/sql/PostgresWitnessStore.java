package io.kakehashi.policy.decisionlog.sql;

import io.kakehashi.policy.decisionlog.WitnessJson;
import io.kakehashi.policy.decisionlog.spi.WitnessRecord;
import io.kakehashi.policy.decisionlog.spi.WitnessStore;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Witness evidence in {@code kakehashi_decision_witness}, each record as its JSON line; a record that is the same
 * evidence as a kept one (kind, peer, tree size, root, and for a conflict the earlier head) is ignored. Thread-safe.
 */
public final class PostgresWitnessStore implements WitnessStore {

    private final DataSource dataSource;

    /**
     * A store on the data source, whose tables must exist ({@link DecisionLogSchema#create}).
     */
    public PostgresWitnessStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public void save(WitnessRecord record) {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement("INSERT INTO kakehashi_decision_witness (evidence_key, kind, peer, tree_size, record_json) VALUES (?, ?, ?, ?, ?) ON CONFLICT (evidence_key) DO NOTHING")) {
            statement.setString(1, evidenceKey(record));
            statement.setString(2, record.kind().name());
            statement.setString(3, record.peer());
            statement.setLong(4, record.treeSize());
            statement.setString(5, WitnessJson.line(record));
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new EdcPersistenceException("cannot save a witness record: " + e.getMessage(), e);
        }
    }

    @Override
    public List<WitnessRecord> all() {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement("SELECT record_json FROM kakehashi_decision_witness ORDER BY position");
             var rows = statement.executeQuery()) {
            var result = new ArrayList<WitnessRecord>();
            while (rows.next()) {
                try {
                    result.add(WitnessJson.record(rows.getString(1)));
                } catch (IllegalArgumentException e) {
                    throw new EdcPersistenceException("a witness record is not readable: " + e.getMessage());
                }
            }
            return result;
        } catch (SQLException e) {
            throw new EdcPersistenceException("cannot read witness records: " + e.getMessage(), e);
        }
    }

    private static String evidenceKey(WitnessRecord record) {
        var text = String.join("\n", record.kind().name(), record.peer(), Long.toString(record.treeSize()), record.rootHash(),
                record.kind() == WitnessRecord.Kind.CONFLICT && record.evidenceJws() != null ? record.evidenceJws() : "");
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
