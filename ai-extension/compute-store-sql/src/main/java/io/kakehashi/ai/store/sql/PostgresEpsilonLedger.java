package io.kakehashi.ai.store.sql;

import io.kakehashi.ai.spi.EpsilonLedger;
import io.kakehashi.core.spi.sql.TransactionalDatabase;
import org.eclipse.edc.spi.result.Result;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;

/**
 * {@link EpsilonLedger} on PostgreSQL (table {@code kakehashi_epsilon_charge}, one row per charge): the ε spent under
 * an agreement survives restarts and is shared by replicas. Each call is one EDC transaction ({@link TransactionalDatabase}).
 * A charge takes a transaction-scoped advisory lock on its
 * agreement, so concurrent charges on any replica are serialised and cannot together exceed the budget. Thread-safe.
 */
public final class PostgresEpsilonLedger implements EpsilonLedger {

    private final TransactionalDatabase database;
    private final Clock clock;

    public PostgresEpsilonLedger(TransactionalDatabase database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public double spent(String agreementId) {
        return database.inTransaction("cannot read the ε spent under agreement " + agreementId, connection -> spent(connection, agreementId));
    }

    @Override
    public Result<Double> charge(String agreementId, String chargeId, double epsilon, double budget) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            return Result.failure("ai.dpEpsilon: a charge must be a positive finite ε, not " + epsilon);
        }
        // a refused or repeated charge writes nothing: the commit that ends its transaction only releases the lock
        return database.inTransaction("cannot charge ε under agreement " + agreementId, connection -> {
            try (var lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 7))")) {
                lock.setString(1, agreementId);
                lock.execute();
            }
            var soFar = spent(connection, agreementId);
            try (var existing = connection.prepareStatement("SELECT 1 FROM kakehashi_epsilon_charge WHERE agreement_id = ? AND charge_id = ?")) {
                existing.setString(1, agreementId);
                existing.setString(2, chargeId);
                try (var rows = existing.executeQuery()) {
                    if (rows.next()) {
                        return Result.success(soFar);
                    }
                }
            }
            var total = soFar + epsilon;
            if (total > budget) {
                return Result.<Double>failure("ai.dpEpsilon: ε %s spent plus %s requested exceeds the agreement's budget of %s".formatted(soFar, epsilon, budget));
            }
            try (var insert = connection.prepareStatement(
                    "INSERT INTO kakehashi_epsilon_charge (agreement_id, charge_id, epsilon, charged_at_nanos) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, agreementId);
                insert.setString(2, chargeId);
                insert.setDouble(3, epsilon);
                insert.setLong(4, PostgresComputeJobStore.nanos(clock.instant()));
                insert.executeUpdate();
            }
            return Result.success(total);
        });
    }

    private static double spent(Connection connection, String agreementId) throws SQLException {
        // summed in the order of charging, as the in-memory ledger adds them, so both give the same total
        try (var select = connection.prepareStatement(
                "SELECT epsilon FROM kakehashi_epsilon_charge WHERE agreement_id = ? ORDER BY charged_at_nanos, charge_id")) {
            select.setString(1, agreementId);
            try (var rows = select.executeQuery()) {
                var total = 0.0;
                while (rows.next()) {
                    total += rows.getDouble(1);
                }
                return total;
            }
        }
    }
}
