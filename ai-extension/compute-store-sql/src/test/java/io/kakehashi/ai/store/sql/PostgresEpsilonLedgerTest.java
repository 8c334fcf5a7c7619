package io.kakehashi.ai.store.sql;

import io.kakehashi.ai.spi.EpsilonLedger;
import io.kakehashi.ai.spi.EpsilonLedgerTestBase;
import org.eclipse.edc.spi.EdcException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("PostgresqlIntegrationTest")
class PostgresEpsilonLedgerTest extends EpsilonLedgerTestBase {

    private static final String SCHEMA = "ai_epsilon_ledger_test";

    private ComputeTestDatabase test;
    private PostgresEpsilonLedger ledger;

    @BeforeEach
    void database() throws Exception {
        test = ComputeTestDatabase.freshSchema(SCHEMA);
        ledger = new PostgresEpsilonLedger(test.database, Clock.systemUTC());
    }

    @Override
    protected EpsilonLedger ledger() {
        return ledger;
    }

    @Test
    void aSpentBudget_shouldStaySpentForANewLedgerOnTheSameDatabase() {
        ledger.charge("agreement-1", "round-1", 0.75, 1.0);

        var restarted = new PostgresEpsilonLedger(ComputeTestDatabase.reopen(SCHEMA).database, Clock.systemUTC());

        assertThat(restarted.spent("agreement-1")).isEqualTo(0.75);
        assertThat(restarted.charge("agreement-1", "round-2", 0.5, 1.0).failed()).isTrue();
    }

    @Test
    void charge_whenTheCallersTransactionRollsBack_shouldSpendNothing() {
        assertThatThrownBy(() -> test.database.inTransaction("queue the job", connection -> {
            ledger.charge("agreement-1", "round-1", 0.5, 1.0);
            throw new IllegalStateException("the job could not be queued");
        })).isInstanceOf(EdcException.class);

        assertThat(ledger.spent("agreement-1")).isZero();
        assertThat(ledger.charge("agreement-1", "round-1", 1.0, 1.0).succeeded()).isTrue();
    }
}
