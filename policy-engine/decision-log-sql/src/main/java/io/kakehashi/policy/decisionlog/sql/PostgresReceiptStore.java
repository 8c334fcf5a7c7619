package io.kakehashi.policy.decisionlog.sql;

import io.kakehashi.policy.decisionlog.Receipts;
import io.kakehashi.policy.decisionlog.spi.Receipt;
import io.kakehashi.policy.decisionlog.spi.ReceiptStore;
import org.eclipse.edc.spi.persistence.EdcPersistenceException;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Receipts in {@code kakehashi_decision_receipt}, each as its {@link Receipts#line}, unique by issuer and entry
 * position; reads take what was verified before it was kept ({@link Receipts#readLine}). Thread-safe.
 */
public final class PostgresReceiptStore implements ReceiptStore {

    private final DataSource dataSource;

    /**
     * A store on the data source, whose tables must exist ({@link DecisionLogSchema#create}).
     */
    public PostgresReceiptStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Saved save(Receipt receipt) {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement("INSERT INTO kakehashi_decision_receipt (issuer, sequence, agreement_id, receipt_json) VALUES (?, ?, ?, ?) ON CONFLICT (issuer, sequence) DO NOTHING")) {
            statement.setString(1, receipt.issuer());
            statement.setLong(2, receipt.sequence());
            statement.setString(3, receipt.agreementId());
            statement.setString(4, Receipts.line(receipt));
            if (statement.executeUpdate() == 1) {
                return Saved.KEPT;
            }
        } catch (SQLException e) {
            throw new EdcPersistenceException("cannot save a receipt: " + e.getMessage(), e);
        }
        var kept = query("WHERE issuer = ? AND sequence = ?", receipt.issuer(), receipt.sequence());
        return !kept.isEmpty() && ReceiptStore.sameContent(kept.get(0), receipt) ? Saved.ALREADY_KEPT : Saved.CONFLICT;
    }

    @Override
    public List<Receipt> all() {
        return query("");
    }

    @Override
    public List<Receipt> byAgreement(String agreementId) {
        return query("WHERE agreement_id = ?", agreementId);
    }

    @Override
    public Optional<Receipt> lastOf(String issuer) {
        // the unique index on (issuer, sequence) finds the issuer's receipts; only theirs are ordered
        return select("WHERE issuer = ?", " DESC LIMIT 1", issuer).stream().findFirst();
    }

    private List<Receipt> query(String where, Object... parameters) {
        return select(where, "", parameters);
    }

    private List<Receipt> select(String where, String orderTail, Object... parameters) {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement("SELECT receipt_json FROM kakehashi_decision_receipt " + where + " ORDER BY position" + orderTail)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (var rows = statement.executeQuery()) {
                var result = new ArrayList<Receipt>();
                while (rows.next()) {
                    try {
                        result.add(Receipts.readLine(rows.getString(1)));
                    } catch (IllegalArgumentException e) {
                        throw new EdcPersistenceException("a kept receipt is not readable: " + e.getMessage());
                    }
                }
                return result;
            }
        } catch (SQLException e) {
            throw new EdcPersistenceException("cannot read receipts: " + e.getMessage(), e);
        }
    }
}
